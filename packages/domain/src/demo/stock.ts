/**
 * The generated social housing stock: fictitious landlords, reservation holders, residences placed
 * inside their IRIS, homes; and which homes are let during the lettings years (and when), which are
 * vacant at the snapshot date.
 */
import type { Random } from '../shared/random.ts';
import type {
  Financing,
  Home,
  Landlord,
  ReservationHolder,
  ReservationHolderKind,
  Residence,
  Typology,
} from '../stock/types.ts';
import type { TerritoryData } from '../territory/types.ts';
import type { DemoAssumptions } from './assumptions.ts';
import { dayOf } from './dates.ts';
import { pointSampler } from './geometry.ts';
import type { DemoPlan } from './types.ts';

const RESIDENCE_NAMES = [
  'Les Tilleuls',
  'Les Érables',
  'Le Belvédère',
  'Les Peupliers',
  'Le Grand Pré',
  'Les Cèdres',
  'Le Clos des Vignes',
  'Les Alpages',
  'La Source',
  'Le Parc',
  'Les Glycines',
  'Le Mail',
  'Les Cerisiers',
  'La Roseraie',
  'Le Vercors',
  'La Chartreuse',
  'Belledonne',
  'Le Taillefer',
  'Le Moucherotte',
  'L’Oisans',
  'Les Marronniers',
  'Le Verger',
  'Les Sorbiers',
  'La Prairie',
];

const HOLDER_KINDS: readonly ReservationHolderKind[] = [
  'state',
  'action-logement',
  'commune',
  'epci',
  'landlord',
];
const FINANCING_ORDER: readonly Financing[] = ['PLAI', 'PLUS', 'PLS', 'PLI'];

export interface StockDraft {
  landlords: Landlord[];
  reservationHolders: ReservationHolder[];
  residences: Residence[];
  homes: Home[];
  /** Index in plan.iris of each home's IRIS. */
  homeIris: Int32Array;
  /** 1 if the home lies in a QPV. */
  homeQpv: Uint8Array;
  /** Day of the lease signed during the lettings years, or -1. */
  homeLetDay: Int32Array;
  /** 1 if the home is vacant at the snapshot date. */
  homeVacant: Uint8Array;
  /** 1 if the home's residence was built during the lettings years. */
  homeNewBuild: Uint8Array;
  /** Commune of each home (INSEE code). */
  homeCommune: string[];
}

/** Weights of `keys` in `shares`, in the order of `keys` (computed once, drawn many times). */
function weightsOf<T extends string>(shares: Readonly<Record<T, number>>, keys: readonly T[]): number[] {
  return keys.map((k) => shares[k]);
}

/** Leases are signed on working days: a weekend day moves to the Monday (or back to the Friday at the end). */
export function workingDay(day: number, last: number): number {
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  const weekday = (((day + 3) % 7) + 7) % 7;
  let result = weekday === 5 ? day + 2 : weekday === 6 ? day + 1 : day;
  while (result > last) result -= 1;
  while ((((result + 3) % 7) + 7) % 7 >= 5) result -= 1;
  return result;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function generateStock(
  territory: TerritoryData,
  plan: DemoPlan,
  a: DemoAssumptions,
  random: Random,
): StockDraft {
  const epci = territory.epci.code;
  const landlords: Landlord[] = a.landlords.map((l) => ({ id: l.id, name: l.name, generated: true }));
  const communesWithHomes = plan.communes.filter((c) => c.socialHomes > 0);
  const communeName = new Map(territory.communes.map((c) => [c.code, c.name]));
  const reservationHolders: ReservationHolder[] = [
    { id: 'rh-state', name: 'État — contingent préfectoral', kind: 'state', commune: null },
    { id: 'rh-action-logement', name: 'Action Logement Services', kind: 'action-logement', commune: null },
    { id: `rh-epci-${epci}`, name: territory.epci.name, kind: 'epci', commune: null },
    ...communesWithHomes.map(
      (c): ReservationHolder => ({
        id: `rh-commune-${c.commune}`,
        name: `Commune de ${communeName.get(c.commune) ?? c.commune}`,
        kind: 'commune',
        commune: c.commune,
      }),
    ),
    ...a.landlords.map(
      (l): ReservationHolder => ({
        id: `rh-landlord-${l.id}`,
        name: `${l.name} — logements non réservés`,
        kind: 'landlord',
        commune: null,
      }),
    ),
  ];

  const irisByCode = new Map(territory.iris.map((i) => [i.code, i]));
  const [firstLetYear] = a.lettingYears;
  const lastLetYear = a.lettingYears[a.lettingYears.length - 1]!;
  const letStart = dayOf(`${firstLetYear}-01-01`);
  const letEnd = dayOf(`${lastLetYear}-12-31`);

  const residences: Residence[] = [];
  const homes: Home[] = [];
  const homeIris: number[] = [];
  const homeQpv: number[] = [];
  const homeNewBuild: number[] = [];
  const homeDelivery: number[] = [];
  const homeCommune: string[] = [];
  const namesUsed = new Map<string, number>();
  const typologyWeights = a.stock.typologyShares;
  const holderWeights = weightsOf(a.reservationShares, HOLDER_KINDS);
  const financingWeights = [
    weightsOf(a.stock.financingBefore1977, FINANCING_ORDER),
    weightsOf(a.stock.financing1977To1999, FINANCING_ORDER),
    weightsOf(a.stock.financingFrom2000, FINANCING_ORDER),
  ];
  const periodWeights = a.stock.constructionPeriods.map((p) => p[2]);

  plan.iris.forEach((irisPlan, irisIndex) => {
    if (irisPlan.socialHomes === 0) return;
    const r = random.fork(irisIndex);
    const iris = irisByCode.get(irisPlan.iris)!;
    const sample = pointSampler(iris.geometry);
    const inQpv = irisPlan.qpv !== null;
    const [minSize, maxSize] = inQpv ? a.stock.residenceSizeQpv : a.stock.residenceSizeOther;
    // Residence sizes: uniform draws until the IRIS's homes are used; a small remainder joins the last one.
    const sizes: number[] = [];
    let left = irisPlan.socialHomes;
    while (left > 0) {
      const size = Math.min(left, minSize + r.int(maxSize - minSize + 1));
      sizes.push(size);
      left -= size;
      if (left > 0 && left < minSize / 2) {
        sizes[sizes.length - 1]! += left;
        left = 0;
      }
    }
    for (const size of sizes) {
      const landlordWeights = a.landlords.map(
        (l) => l.share * (irisPlan.commune === '38185' ? l.grenobleFactor : 1) * (inQpv ? l.qpvFactor : 1),
      );
      const landlord = a.landlords[r.weighted(landlordWeights)]!;
      let constructionYear: number;
      let newBuild = false;
      if (inQpv) {
        const [from, to] = a.stock.qpvConstructionYears;
        constructionYear = from + r.int(to - from + 1);
      } else if (r.bernoulli(a.stock.newBuildProbability)) {
        newBuild = true;
        constructionYear = a.lettingYears[r.int(a.lettingYears.length)]!;
      } else {
        const [from, to] = a.stock.constructionPeriods[r.weighted(periodWeights)]!;
        constructionYear = from + r.int(to - from + 1);
      }
      const [x, y] = sample(r);
      const baseName = RESIDENCE_NAMES[r.int(RESIDENCE_NAMES.length)]!;
      const key = `${irisPlan.commune}|${baseName}`;
      const used = (namesUsed.get(key) ?? 0) + 1;
      namesUsed.set(key, used);
      const residence: Residence = {
        id: `res-${String(residences.length + 1).padStart(5, '0')}`,
        epci,
        landlord: landlord.id,
        name: used === 1 ? baseName : `${baseName} ${used}`,
        commune: irisPlan.commune,
        iris: irisPlan.iris,
        qpv: irisPlan.qpv,
        longitude: Math.round(x * 1e6) / 1e6,
        latitude: Math.round(y * 1e6) / 1e6,
        constructionYear,
        generated: true,
      };
      residences.push(residence);

      const [minFloors, maxFloors] = inQpv ? a.stock.floorsQpv : a.stock.floorsOther;
      const floors = minFloors + r.int(maxFloors - minFloors + 1);
      // Lifts: required above four levels (R+4) for older buildings, above three for recent ones. Guess of the rule's effect.
      const lift = floors >= (constructionYear >= 2000 ? 4 : 5);
      const financingShares =
        financingWeights[constructionYear < 1977 ? 0 : constructionYear < 2000 ? 1 : 2]!;
      const ageFactor =
        constructionYear < 1977
          ? a.stock.rentFactorBefore1977
          : constructionYear < 2000
            ? a.stock.rentFactor1977To1999
            : 1;
      const delivery = newBuild ? Math.min(letEnd, dayOf(`${constructionYear}-01-01`) + r.int(365)) : -1;
      for (let k = 0; k < size; k++) {
        const typology = (r.weighted(typologyWeights) + 1) as Typology;
        const [mean, sd] = a.stock.surfaceByTypology[typology - 1]!;
        const surfaceM2 = Math.max(18, Math.round(mean + sd * r.normal()));
        const floor = r.int(floors);
        const stepFree = floor === 0 || lift;
        const accessible =
          stepFree && r.bernoulli(constructionYear >= 2007 ? a.stock.accessibleNew : a.stock.accessibleOld);
        const financing = FINANCING_ORDER[r.weighted(financingShares)]!;
        const rentEur = round2(
          surfaceM2 * a.stock.rentPerM2[financing] * ageFactor * (1 + 0.05 * r.normal()),
        );
        const chargesEur = round2(
          surfaceM2 * (a.stock.chargesPerM2 + (lift ? a.stock.liftChargesPerM2 : 0)) * (1 + 0.1 * r.normal()),
        );
        const kind = HOLDER_KINDS[r.weighted(holderWeights)]!;
        const reservationHolder =
          kind === 'commune'
            ? `rh-commune-${irisPlan.commune}`
            : kind === 'landlord'
              ? `rh-landlord-${landlord.id}`
              : kind === 'epci'
                ? `rh-epci-${epci}`
                : `rh-${kind}`;
        homes.push({
          id: `home-${String(homes.length + 1).padStart(6, '0')}`,
          residence: residence.id,
          typology,
          surfaceM2,
          floor,
          lift,
          accessible,
          financing,
          rentEur,
          chargesEur,
          reservationHolder,
          generated: true,
        });
        homeIris.push(irisIndex);
        homeQpv.push(inQpv ? 1 : 0);
        homeNewBuild.push(newBuild ? 1 : 0);
        homeDelivery.push(newBuild ? workingDay(delivery + r.int(31), letEnd) : -1);
        homeCommune.push(irisPlan.commune);
      }
    }
  });

  // Which homes are let during the lettings years: every new build at delivery; older homes with a
  // probability set so that the total is lettings.perYear × years, higher for small homes and in QPV.
  const n = homes.length;
  const homeLetDay = new Int32Array(n).fill(-1);
  const homeVacant = new Uint8Array(n);
  const r = random.fork(1_000_003);
  let newBuilds = 0;
  let turnoverSum = 0;
  const turnover = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (homeNewBuild[i]) {
      newBuilds++;
      continue;
    }
    turnover[i] =
      a.lettings.turnoverByTypology[homes[i]!.typology - 1]! * (homeQpv[i] ? a.lettings.turnoverQpv : 1);
    turnoverSum += turnover[i]!;
  }
  const target = a.lettings.perYear * a.lettingYears.length - newBuilds;
  const scale = Math.max(0, target) / turnoverSum;
  for (let i = 0; i < n; i++) {
    if (homeNewBuild[i]) {
      homeLetDay[i] = homeDelivery[i]!;
    } else if (r.bernoulli(Math.min(0.95, turnover[i]! * scale))) {
      homeLetDay[i] = workingDay(letStart + r.int(letEnd - letStart + 1), letEnd);
    } else if (r.bernoulli(a.stock.vacancyRate)) {
      homeVacant[i] = 1;
    }
  }

  return {
    landlords,
    reservationHolders,
    residences,
    homes,
    homeIris: Int32Array.from(homeIris),
    homeQpv: Uint8Array.from(homeQpv),
    homeLetDay,
    homeVacant,
    homeNewBuild: Uint8Array.from(homeNewBuild),
    homeCommune,
  };
}
