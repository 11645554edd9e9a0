/**
 * Every assumption of the demo population generator, in one typed object, each with its source or
 * "guess" and why. docs/demo-population.md lists them for readers; change a value here, not in the
 * generator. Amounts are euros; incomes are Filosofi 2018 euros unless said otherwise.
 */
import type { HouseholdType, PriorityCriterion } from '../demand/types.ts';
import type { Financing, ReservationHolderKind, Typology } from '../stock/types.ts';

/** Shares indexed by household type. */
export type TypeShares = Readonly<Record<HouseholdType, number>>;

export interface DemoAssumptions {
  /** The population is a snapshot at this date (end of the lettings history). */
  snapshotDate: string;
  /** Years of the lettings history (signed leases). */
  lettingYears: readonly number[];

  households: {
    /**
     * Average household size (persons per household) by commune: households = municipal population ÷
     * size. Guess, from the orders of magnitude of INSEE's census (RP): the Métropole averages about
     * 2.1 persons per household, Grenoble about 1.85 (students, single persons), Saint-Martin-d'Hères
     * about 2.0 (campus), the other communes 2.2 (10,000 inhabitants or more) to 2.35 (peri-urban).
     */
    sizeByCommune: Readonly<Record<string, number>>;
    sizeLargeCommune: number;
    largeCommuneMinPopulation: number;
    sizeSmallCommune: number;
    /**
     * Weight of an IRIS whose Filosofi values are withheld, in a commune where other IRIS are
     * published, when splitting the commune's households over its IRIS (the others weigh 1). Such IRIS
     * are activity zones, campus, industrial platforms (INSEE withholds IRIS with too few households).
     * Guess.
     */
    withheldIrisWeight: number;
    /**
     * Household type shares of non-social-tenant households, for a town-centre profile (average size
     * ≈ 1.8) and a peri-urban profile (≈ 2.4); each commune mixes the two to reach its household size.
     * Guess, shaped on the RP profile of the Métropole (about 40 % single persons, 10 % single parents).
     */
    typeSharesUrban: TypeShares;
    typeSharesPeriUrban: TypeShares;
    /** Number of children (index 0 = 1 child) of couples with children and of single parents. Guess (RP orders). */
    childrenCoupleWithChildren: readonly number[];
    childrenSingleParent: readonly number[];
    /** Adults of "other" households (index 0 = 2 adults): flat-shares, several generations. Guess. */
    adultsOther: readonly number[];
    /** Probability that a child is under 14, by age band of the reference person (<35, 35–44, 45–54, 55+). Guess. */
    childUnder14ByParentAge: readonly [number, number, number, number];
    /**
     * Persons in a social home by typology (index 0 = 1 person), for long-standing tenants. Guess
     * consistent with the usual occupancy rules (T1–T2 for 1–2 persons, one room per couple or child)
     * and with under-occupancy by older tenants.
     */
    personsByTypology: Readonly<Record<Typology, readonly number[]>>;
  };

  tenure: {
    /**
     * Share of owners among the households that are not social tenants, by commune class; shifted by
     * the IRIS median relative to the commune's, and by age and type (odds factors below). Guess from
     * RP orders: owners ≈ 40 % of households in Grenoble, ≈ 55 % in the inner suburbs, ≈ 80 % in
     * peri-urban villages.
     */
    ownerShareGrenoble: number;
    ownerShareLarge: number;
    ownerShareSmall: number;
    /** Added to the owner share per unit of (IRIS median ÷ commune median − 1). Guess. */
    ownerShareIncomeSlope: number;
    /** Odds factors of being an owner. Guess (owners are older, more often couples). */
    ownerOddsByAge: readonly [number, number, number, number];
    ownerOddsByType: TypeShares;
  };

  /**
   * Latent poverty propensity (higher = poorer). Households of an IRIS are ranked by it to receive
   * their income (see incomes.ts). Additive terms plus a standard normal noise. Guess: signs and rough
   * sizes follow INSEE's known gradients (social tenants, single parents and the young are poorer;
   * owners and couples richer); the noise keeps every group spread over the whole distribution.
   */
  povertyPropensity: {
    tenure: Readonly<Record<'social-tenant' | 'private-tenant' | 'owner', number>>;
    type: TypeShares;
    /** <25, 25–29, 30–64, 65+. */
    age: readonly [number, number, number, number];
    /** Added for households of 5 persons or more. */
    largeHousehold: number;
    noise: number;
  };

  incomeTails: {
    /** Below D1: linear, with a slope this many times the D1–D2 slope (lower tails are steeper). Guess. */
    lowerSlopeFactor: number;
    /** …bounded below at this share of D1. Guess. */
    floorShareOfD1: number;
    /** Above D9: Pareto through D8 and D9 (α = ln 2 ÷ ln(D9/D8)), α bounded to this range. Guess. */
    paretoAlphaMin: number;
    paretoAlphaMax: number;
  };

  stock: {
    /** Social homes in the EPCI. Guess, order of magnitude of RPLS for Grenoble-Alpes Métropole (≈ 45,000). */
    total: number;
    /**
     * Social homes as a share of households, by commune (relative weights: the total above is
     * apportioned by households × rate). Guess from the orders of magnitude of the SRU inventories
     * (Échirolles, Saint-Martin-d'Hères, Le Pont-de-Claix above 30 %; Grenoble above 20 %;
     * peri-urban villages a few %).
     */
    rateByCommune: Readonly<Record<string, number>>;
    /** Rate of communes not listed. */
    defaultRate: number;
    /** Share of the households of an IRIS approximating a QPV that are social tenants. Guess (QPV are mostly social estates). */
    qpvIrisShare: number;
    /** Upper bound of that share elsewhere. Guess. */
    maxIrisShare: number;
    /** Outside QPV, homes go to IRIS in proportion to households × (commune median ÷ IRIS median)^k. Guess. */
    incomeConcentrationExponent: number;
    /** Homes per residence, inside and outside QPV (uniform). Guess. */
    residenceSizeQpv: readonly [number, number];
    residenceSizeOther: readonly [number, number];
    /** Typology shares T1…T6. Guess close to RPLS national shares (T3 the most common). */
    typologyShares: readonly number[];
    /** Mean and standard deviation of the surface by typology (m²). Guess (RPLS orders). */
    surfaceByTypology: readonly (readonly [number, number])[];
    /** Construction periods outside QPV: [first year, last year, share]. Guess. QPV estates: 1958–1978. */
    constructionPeriods: readonly (readonly [number, number, number])[];
    qpvConstructionYears: readonly [number, number];
    /** Probability that a residence outside QPV was delivered during the lettings years (new build). Guess. */
    newBuildProbability: number;
    /**
     * Financing shares by construction period: before 1977 the historic HLM loans are assimilated to
     * PLUS (their rents are PLUS-like); after 2000 the mix follows the rule of at least 30 % PLAI and
     * at most 30 % PLS for new programmes in SRU communes (CCH L302-8). Guess for the split itself.
     */
    financingBefore1977: Readonly<Record<Financing, number>>;
    financing1977To1999: Readonly<Record<Financing, number>>;
    financingFrom2000: Readonly<Record<Financing, number>>;
    /**
     * Monthly rent per m² of habitable surface by financing, 2025. Guess close to the zone B1
     * maximum rents (PLAI ≈ 5.4, PLUS ≈ 6.0, PLS ≈ 8.8 €/m²); older buildings below them.
     */
    rentPerM2: Readonly<Record<Financing, number>>;
    rentFactorBefore1977: number;
    rentFactor1977To1999: number;
    /** Monthly recoverable charges per m², plus per m² with a lift. Guess. */
    chargesPerM2: number;
    liftChargesPerM2: number;
    /** Floors of residences (uniform): QPV estates, other residences. Guess. */
    floorsQpv: readonly [number, number];
    floorsOther: readonly [number, number];
    /** Share of homes vacant at the snapshot date (among homes not let during the lettings years). Guess (RPLS ≈ 3 %). */
    vacancyRate: number;
    /** Probability that a home reachable without stairs is wheelchair-accessible: built from 2007 (arrêté of 2006), or earlier (adapted). Guess. */
    accessibleNew: number;
    accessibleOld: number;
  };

  /** Fictitious landlords, with their share of residences and their bias toward Grenoble and QPV. Guess. */
  landlords: readonly {
    id: string;
    name: string;
    share: number;
    grenobleFactor: number;
    qpvFactor: number;
  }[];

  /**
   * Shares of the flow of vacancies by reservation holder kind (ELAN: reservations managed as flows).
   * The State's share is bounded by 30 % (RULES.md §1). Guess for the others.
   */
  reservationShares: Readonly<Record<ReservationHolderKind, number>>;

  demand: {
    /** Target of active demands at 31 December (the register's stock). Order of magnitude from the brief (≈ 14,000). */
    activeTarget: number;
    /** Yearly hazard of cancellation or non-renewal. Guess: about as many demands lapse as are satisfied. */
    cancellationHazard: number;
    /** Yearly hazard of being housed before the lettings years (after, the lettings decide). ≈ 4,000 ÷ 14,000. */
    housingHazardBefore: number;
    /** First year of registration simulated (older demands have almost all lapsed). */
    firstRegistrationYear: number;
    /**
     * Years of lettings simulated before the lettings years without keeping their leases (a burn-in),
     * so that the register at their start has the make-up the allocation process gives it.
     */
    burnInYears: number;
    /**
     * Current housing of new demands. Guess shaped on SNE profiles: about a third are social tenants
     * (transfers); the rest private tenants, hosted households, temporary housing, homeless, owners.
     */
    currentHousingShares: Readonly<Record<string, number>>;
    /** Types of applicants not in ordinary housing (hosted, temporary housing, homeless, other). Guess. */
    typeSharesHosted: TypeShares;
    /** Poverty propensity of applicants not in the population, by current housing. Guess (they are among the poorest). */
    propensityByHousing: Readonly<Record<string, number>>;
    /** Private tenants and owners who apply are drawn with weight exp(k × propensity): applicants are poorer than tenants at large. Guess. */
    privateApplicantSelection: number;
    /** Same for social tenants asking for a transfer (also twice as likely when overcrowded). Guess. */
    socialApplicantSelection: number;
    /**
     * QPV under a national urban-renewal programme (NPNRU) whose tenants get relocation demands, and
     * the share of social-tenant demands of their IRIS that are relocations. Guess: Villeneuve,
     * Essarts-Surieux, Renaudie-Champberton are NPNRU sites; the share is not published.
     */
    urbanRenewalQpvs: readonly string[];
    urbanRenewalShare: number;
    /** Number of desired communes (index 0 = 1 commune) and chance that the first is the current one. Guess. */
    desiredCommuneCounts: readonly number[];
    desiredCurrentCommune: number;
    /** DALO recognition by current housing. Guess (Isère recognises a few hundred DALO households a year). */
    daloByHousing: Readonly<Record<string, number>>;
    /**
     * Priority criteria of L441-1 recognised on the demand, by current housing: independent chances.
     * Guess, chosen so that about a fifth to a quarter of demands are priority publics.
     */
    priorityByHousing: Readonly<Record<string, readonly (readonly [PriorityCriterion, number])[]>>;
    /** Criteria that do not depend on the current housing. Guess. */
    priorityDisability: number;
    priorityDisabilityAged60: number;
    /** For single persons and single parents. */
    priorityDomesticViolence: number;
    priorityReturnToWork: number;
    /** For applicants under 22 not living in ordinary housing. */
    priorityChildWelfareLeaver: number;
    /** For households with children under 14, private tenants or hosted by family. */
    priorityOvercrowdedWithMinors: number;
    priorityProstitutionExit: number;
    /** Wheelchair-accessible home needed; more often with the disability criterion. Guess. */
    wheelchairShare: number;
    wheelchairShareDisability: number;
    /** Uprating from Filosofi 2018 euros to declared resources of 2023–2025 (nominal income growth). Guess ≈ +2.2 %/year. */
    resourcesUprating: number;
    /** Log-normal noise of declared resources around disposable income ÷ 12. Guess. */
    resourcesNoise: number;
    /**
     * Reference tax income ≈ 0.9 × (1.07 × disposable income − non-taxable benefits), benefits ≈
     * max(0, k × UC − 0.5 × disposable income): RSA, family and housing benefits are not taxable,
     * income tax is netted out of disposable income. Guess.
     */
    nonTaxableBenefitsPerUc: number;
  };

  lettings: {
    /** Signed leases a year. Order of magnitude from the brief (≈ 4,000). */
    perYear: number;
    /** Relative turnover by typology T1…T6 and inside QPV. Guess (small homes and QPV turn over faster). */
    turnoverByTypology: readonly number[];
    turnoverQpv: number;
    /**
     * Candidate weights in the allocation (a stylised commission): multipliers of the chance of being
     * chosen among the active demands that want the home's commune and typology. Guess, chosen so that
     * priority publics get 20–35 % of the non-State lettings and that, as in most EPCIs, the 25 %
     * first-quartile target outside QPV is not met.
     */
    weightDalo: number;
    weightPriority: number;
    weightUrbanRenewal: number;
    weightTransfer: number;
    /** Per year of seniority of the demand (cotation grids all count it). */
    weightSeniorityPerYear: number;
    /** exp(−k × propensity) outside QPV, exp(+k × propensity) inside (commissions steer the poorest to QPV). */
    povertyAversionOutsideQpv: number;
    povertyPreferenceInsideQpv: number;
    /** State lettings go to priority publics; this is the weight of a non-priority demand there. */
    stateNonPriorityWeight: number;
    /** Commune lettings favour residents; landlord lettings favour transfers. */
    communeResidentWeight: number;
    landlordTransferWeight: number;
  };
}

const TYPE = (single: number, couple: number, sp: number, cwc: number, other: number): TypeShares => ({
  single,
  couple,
  'single-parent': sp,
  'couple-with-children': cwc,
  other,
});

export const DEMO_ASSUMPTIONS: DemoAssumptions = {
  snapshotDate: '2025-12-31',
  lettingYears: [2023, 2024, 2025],

  households: {
    sizeByCommune: { '38185': 1.85, '38421': 2.0 },
    sizeLargeCommune: 2.2,
    largeCommuneMinPopulation: 10_000,
    sizeSmallCommune: 2.35,
    withheldIrisWeight: 0.15,
    typeSharesUrban: TYPE(0.56, 0.22, 0.07, 0.11, 0.04),
    typeSharesPeriUrban: TYPE(0.23, 0.32, 0.07, 0.34, 0.04),
    childrenCoupleWithChildren: [0.42, 0.4, 0.14, 0.04],
    childrenSingleParent: [0.55, 0.32, 0.1, 0.03],
    adultsOther: [0.55, 0.3, 0.15],
    childUnder14ByParentAge: [0.85, 0.6, 0.25, 0.05],
    personsByTypology: {
      1: [0.88, 0.12],
      2: [0.55, 0.33, 0.12],
      3: [0.35, 0.3, 0.2, 0.11, 0.04],
      4: [0.18, 0.25, 0.22, 0.2, 0.11, 0.04],
      5: [0.05, 0.12, 0.18, 0.25, 0.25, 0.1, 0.05],
      6: [0, 0, 0.05, 0.15, 0.25, 0.3, 0.17, 0.08],
    },
  },

  tenure: {
    ownerShareGrenoble: 0.52,
    ownerShareLarge: 0.66,
    ownerShareSmall: 0.84,
    ownerShareIncomeSlope: 0.8,
    ownerOddsByAge: [0.15, 0.6, 1.3, 2],
    ownerOddsByType: TYPE(0.55, 1.4, 0.5, 1.4, 0.7),
  },

  povertyPropensity: {
    tenure: { 'social-tenant': 1.3, 'private-tenant': 0.35, owner: -0.6 },
    type: TYPE(0.3, -0.3, 0.7, 0, 0.2),
    age: [0.8, 0.3, 0, 0.1],
    largeHousehold: 0.3,
    noise: 1,
  },

  incomeTails: {
    lowerSlopeFactor: 1.5,
    floorShareOfD1: 0.3,
    paretoAlphaMin: 1.5,
    paretoAlphaMax: 5,
  },

  stock: {
    total: 45_000,
    rateByCommune: {
      '38185': 0.23, // Grenoble
      '38151': 0.37, // Échirolles
      '38421': 0.36, // Saint-Martin-d'Hères
      '38169': 0.3, // Fontaine
      '38317': 0.38, // Le Pont-de-Claix
      '38382': 0.25, // Saint-Égrève
      '38158': 0.3, // Eybens
      '38229': 0.2, // Meylan
      '38485': 0.24, // Seyssinet-Pariset
      '38474': 0.21, // Sassenage
      '38562': 0.27, // Vizille
      '38545': 0.16, // Vif
      '38524': 0.18, // Varces-Allières-et-Risset
      '38111': 0.12, // Claix
      '38150': 0.22, // Domène
      '38179': 0.27, // Gières
      '38486': 0.21, // Seyssins
      '38516': 0.22, // La Tronche
      '38423': 0.22, // Saint-Martin-le-Vinoux
      '38126': 0.1, // Corenc
      '38071': 0.18, // Champ-sur-Drac
      '38200': 0.12, // Jarrie
      '38309': 0.12, // Poisat
      '38170': 0.1, // Fontanil-Cornillon
      '38388': 0.1, // Saint-Georges-de-Commiers
      '38059': 0.08, // Brié-et-Angonnes
      '38068': 0.08, // Champagnier
      '38279': 0.08, // Notre-Dame-de-Mésage
      '38529': 0.06, // Vaulnaveys-le-Haut
      '38281': 0.06, // Noyarey
      '38540': 0.06, // Veurey-Voroize
    },
    defaultRate: 0.03,
    qpvIrisShare: 0.6,
    maxIrisShare: 0.55,
    incomeConcentrationExponent: 3,
    residenceSizeQpv: [40, 200],
    residenceSizeOther: [8, 60],
    typologyShares: [0.07, 0.19, 0.36, 0.28, 0.08, 0.02],
    surfaceByTypology: [
      [31, 5],
      [47, 6],
      [64, 7],
      [79, 8],
      [93, 9],
      [108, 10],
    ],
    constructionPeriods: [
      [1950, 1976, 0.3],
      [1977, 1999, 0.33],
      [2000, 2022, 0.37],
    ],
    qpvConstructionYears: [1958, 1978],
    newBuildProbability: 0.035,
    financingBefore1977: { PLAI: 0, PLUS: 1, PLS: 0, PLI: 0 },
    financing1977To1999: { PLAI: 0.05, PLUS: 0.9, PLS: 0.05, PLI: 0 },
    financingFrom2000: { PLAI: 0.3, PLUS: 0.5, PLS: 0.2, PLI: 0 },
    rentPerM2: { PLAI: 5.4, PLUS: 6.0, PLS: 8.8, PLI: 10.5 },
    rentFactorBefore1977: 0.85,
    rentFactor1977To1999: 0.95,
    chargesPerM2: 1.7,
    liftChargesPerM2: 0.3,
    floorsQpv: [4, 15],
    floorsOther: [2, 7],
    vacancyRate: 0.03,
    accessibleNew: 0.9,
    accessibleOld: 0.06,
  },

  landlords: [
    {
      id: 'll-1',
      name: 'Habitat des Trois Massifs (fictif)',
      share: 0.3,
      grenobleFactor: 2.5,
      qpvFactor: 1.5,
    },
    {
      id: 'll-2',
      name: 'Logis du Drac et de l’Isère (fictif)',
      share: 0.25,
      grenobleFactor: 0.8,
      qpvFactor: 1.5,
    },
    {
      id: 'll-3',
      name: 'Résidences de la Bastille (fictif)',
      share: 0.15,
      grenobleFactor: 1,
      qpvFactor: 0.8,
    },
    { id: 'll-4', name: 'Foyers de Belledonne (fictif)', share: 0.12, grenobleFactor: 0.6, qpvFactor: 1 },
    {
      id: 'll-5',
      name: 'Coopérative Chartreuse-Vercors (fictif)',
      share: 0.08,
      grenobleFactor: 0.5,
      qpvFactor: 0.5,
    },
    { id: 'll-6', name: 'Toits du Sillon alpin (fictif)', share: 0.1, grenobleFactor: 0.8, qpvFactor: 0.7 },
  ],

  reservationShares: { state: 0.25, 'action-logement': 0.22, commune: 0.18, epci: 0.05, landlord: 0.3 },

  demand: {
    activeTarget: 14_000,
    cancellationHazard: 0.25,
    housingHazardBefore: 0.286,
    firstRegistrationYear: 2012,
    burnInYears: 2,
    currentHousingShares: {
      'social-tenant': 0.33,
      'private-tenant': 0.26,
      'hosted-by-family': 0.15,
      'hosted-by-third-party': 0.05,
      'temporary-housing': 0.08,
      homeless: 0.02,
      owner: 0.03,
      other: 0.08,
    },
    typeSharesHosted: TYPE(0.56, 0.1, 0.22, 0.1, 0.02),
    propensityByHousing: {
      'hosted-by-family': 1.6,
      'hosted-by-third-party': 2.2,
      'temporary-housing': 2.5,
      homeless: 2.7,
      other: 1.6,
    },
    privateApplicantSelection: 1.2,
    socialApplicantSelection: 0.5,
    urbanRenewalQpvs: ['QN03807M', 'QN03803M', 'QN03811M'],
    urbanRenewalShare: 0.15,
    desiredCommuneCounts: [0.45, 0.3, 0.25],
    desiredCurrentCommune: 0.65,
    daloByHousing: {
      homeless: 0.12,
      'temporary-housing': 0.1,
      'hosted-by-third-party': 0.06,
      'hosted-by-family': 0.02,
      'private-tenant': 0.015,
      'social-tenant': 0.005,
      owner: 0.005,
      other: 0.02,
    },
    priorityByHousing: {
      homeless: [['homeless', 0.8]],
      'temporary-housing': [['hosted-or-temporary', 0.7]],
      'hosted-by-third-party': [
        ['homeless', 0.25],
        ['hosted-or-temporary', 0.3],
      ],
      'hosted-by-family': [
        ['homeless', 0.15],
        ['hosted-or-temporary', 0.12],
      ],
      'private-tenant': [
        ['unfit-housing', 0.06],
        ['eviction-threat', 0.07],
        ['poorly-housed', 0.08],
      ],
      'social-tenant': [
        ['poorly-housed', 0.05],
        ['unfit-housing', 0.03],
      ],
      owner: [['unfit-housing', 0.03]],
      other: [['poorly-housed', 0.1]],
    },
    priorityDisability: 0.06,
    priorityDisabilityAged60: 0.12,
    priorityDomesticViolence: 0.025,
    priorityReturnToWork: 0.01,
    priorityChildWelfareLeaver: 0.25,
    priorityOvercrowdedWithMinors: 0.08,
    priorityProstitutionExit: 0.0005,
    wheelchairShare: 0.008,
    wheelchairShareDisability: 0.25,
    resourcesUprating: 1.13,
    resourcesNoise: 0.08,
    nonTaxableBenefitsPerUc: 7_500,
  },

  lettings: {
    perYear: 4_000,
    turnoverByTypology: [1.3, 1.2, 1, 0.9, 0.8, 0.7],
    turnoverQpv: 1.15,
    weightDalo: 4,
    weightPriority: 3.2,
    weightUrbanRenewal: 5,
    weightTransfer: 0.55,
    weightSeniorityPerYear: 0.6,
    povertyAversionOutsideQpv: 0.15,
    povertyPreferenceInsideQpv: 0.15,
    stateNonPriorityWeight: 0.02,
    communeResidentWeight: 1.5,
    landlordTransferWeight: 1.5,
  },
};
