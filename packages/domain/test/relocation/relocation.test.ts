import { describe, expect, it } from 'vitest';
import {
  EMPTY_CONSTRAINTS,
  EMPTY_WISHES,
  type ExportedFile,
  fileStage,
  filesCsv,
  isNewOrRecent,
  matchHome,
  type TrajectoryFile,
  trajectoryFilesFromCsv,
  trajectoryIndicators,
} from '../../src/relocation/index.ts';

const home = {
  commune: '38185',
  typology: 3,
  floor: 4,
  lift: false,
  accessible: false,
  rentEur: 400,
  chargesEur: 100,
  constructionYear: 2022,
};

describe('matching a home with a relocating household’s wishes and constraints', () => {
  it('accepts anything when nothing is wished', () => {
    expect(matchHome(home, EMPTY_WISHES, EMPTY_CONSTRAINTS, '2025-06-01')).toEqual({
      matches: true,
      unmet: [],
    });
  });

  it('names every wish and constraint the home does not meet', () => {
    const m = matchHome(
      home,
      {
        communes: ['38151'],
        typologies: [2],
        maxFloorWithoutLift: 2,
        age: 'older',
        maxRentWithChargesEur: 450,
      },
      { ...EMPTY_CONSTRAINTS, wheelchairAccess: true, reducedMobility: true, schoolCommunes: ['38151'] },
      '2025-06-01',
    );
    expect(m.matches).toBe(false);
    expect(m.unmet).toEqual([
      'commune : hors des communes souhaitées',
      'typologie : T3 n’est pas parmi les typologies souhaitées',
      'étage : 4e sans ascenseur, au-delà du 2e accepté sans ascenseur',
      'ancienneté : logement neuf ou récent, non souhaité',
      'budget : loyer et charges de 500 € au-delà des 450 € acceptés',
      'accessibilité : logement non accessible en fauteuil roulant',
      'mobilité réduite : étage sans ascenseur',
      'scolarité : hors de la commune où les enfants sont scolarisés',
    ]);
    // A lift lifts the floor limits.
    expect(
      matchHome(
        { ...home, lift: true },
        { ...EMPTY_WISHES, maxFloorWithoutLift: 0 },
        { ...EMPTY_CONSTRAINTS, reducedMobility: true },
        '2025-06-01',
      ),
    ).toEqual({ matches: true, unmet: [] });
  });

  it('counts a home as new or recent under 5 years (ANRU; docs/RULES.md §7)', () => {
    expect(isNewOrRecent(2021, '2025-12-31')).toBe(true);
    expect(isNewOrRecent(2020, '2025-01-01')).toBe(false);
    expect(
      matchHome(
        { ...home, constructionYear: 2019 },
        { ...EMPTY_WISHES, age: 'new-or-recent' },
        EMPTY_CONSTRAINTS,
        '2025-06-01',
      ).unmet,
    ).toEqual(['ancienneté : construit en 2019, pas neuf ni récent (moins de 5 ans)']);
  });
});

describe('trajectory indicators', () => {
  const base: TrajectoryFile = {
    operationId: 'op',
    siteQpv: 'QN03807M',
    persons: 2,
    firstInterviewOn: '2025-02-01',
    origin: { surfaceM2: 50, rentEur: 300, chargesEur: 100, housingBenefitEur: 150 },
    proposals: [],
    rehousing: null,
  };
  const files: TrajectoryFile[] = [
    // Outside QPV, new: 2 proposals (one refused for the rent).
    {
      ...base,
      proposals: [
        { response: 'refused', refusalReason: 'rent' },
        { response: 'accepted', refusalReason: null },
      ],
      rehousing: {
        signedOn: '2025-05-02',
        qpv: null,
        constructionYear: 2023,
        surfaceM2: 60,
        rentEur: 420,
        chargesEur: 80,
        housingBenefitEur: 160,
      },
    },
    // In another QPV (off-site but not outside QPV), old; benefit unknown after.
    {
      ...base,
      persons: 4,
      firstInterviewOn: '2025-03-01',
      proposals: [{ response: 'accepted', refusalReason: null }],
      rehousing: {
        signedOn: '2025-04-30',
        qpv: 'QN03803M',
        constructionYear: 1970,
        surfaceM2: 80,
        rentEur: 380,
        chargesEur: 120,
        housingBenefitEur: null,
      },
    },
    // Rehoused on the site itself.
    {
      ...base,
      firstInterviewOn: null,
      proposals: [{ response: 'accepted', refusalReason: null }],
      rehousing: {
        signedOn: '2025-06-01',
        qpv: 'QN03807M',
        constructionYear: 1975,
        surfaceM2: 50,
        rentEur: 300,
        chargesEur: 100,
        housingBenefitEur: 150,
      },
    },
    // Still searching: two refusals.
    {
      ...base,
      proposals: [
        { response: 'refused', refusalReason: 'location' },
        { response: 'refused', refusalReason: 'location' },
      ],
    },
  ];

  it('computes the shares, the change of reste à charge and surface, the delays and the refusals', () => {
    const ind = trajectoryIndicators(files);
    expect(ind).toMatchObject({
      households: 4,
      rehoused: 3,
      outsideQpv: { count: 1, of: 3 },
      offSite: { count: 2, of: 3 },
      newOrRecent: { count: 1, of: 3 },
      // Known both times: file 1 (250 → 340) and file 3 (250 → 250).
      residualRent: {
        households: 2,
        meanBeforeEur: 250,
        meanAfterEur: 295,
        meanChangeEur: 45,
        medianChangeEur: 45,
      },
      // 2025-02-01 → 2025-05-02: 90 days; 2025-03-01 → 2025-04-30: 60 days.
      daysToLease: { households: 2, mean: 75, median: 75 },
      proposals: { total: 6, perRehousedHousehold: 4 / 3 },
      refusals: { total: 3, byReason: { rent: 1, location: 2, other: 0 } },
      national: { offSiteShare: 0.52, newOrRecentShare: 0.33 },
    });
    // Surface per person: 25 → 30, 12.5 → 20, 25 → 25.
    expect(ind.surfacePerPerson.meanBeforeM2).toBeCloseTo(62.5 / 3, 12);
    expect(ind.surfacePerPerson.meanAfterM2).toBeCloseTo(25, 12);
    expect(ind.outsideQpv.share).toBeCloseTo(1 / 3, 12);
  });

  it('gives null shares, not zero, when nobody is rehoused yet', () => {
    const ind = trajectoryIndicators([files[3]!]);
    expect(ind.offSite).toEqual({ count: 0, of: 0, share: null });
    expect(ind.proposals.perRehousedHousehold).toBeNull();
  });

  it('round-trips the files through the CSV export, so the indicators can be recomputed from it', () => {
    const exported: ExportedFile[] = files.map((f, i) => ({
      ...f,
      fileId: `f${i}`,
      householdId: `h${i}`,
      sneNumber: i === 3 ? null : `038${i}`,
      stage: fileStage({
        diagnosisOn: f.firstInterviewOn,
        leaseSignedOn: f.rehousing?.signedOn ?? null,
        proposals: f.proposals,
      }),
      originHomeId: `m${i}`,
      wishes: { ...EMPTY_WISHES, communes: ['38185', '38151'], typologies: [2, 3] },
      constraints: EMPTY_CONSTRAINTS,
      newHomeId: f.rehousing ? `n${i}` : null,
    }));
    const csv = filesCsv(exported);
    expect(csv.split('\n')[2]).toContain(',38185;38151,2;3,');
    expect(trajectoryFilesFromCsv(csv)).toEqual(files);
    expect(trajectoryIndicators(trajectoryFilesFromCsv(csv))).toEqual(trajectoryIndicators(files));
    expect(() => trajectoryFilesFromCsv(csv.replace(',refused:rent;', ',refused:whim;'))).toThrow(
      /motif whim inconnu/,
    );
  });

  it('tells where a file stands', () => {
    expect(fileStage({ diagnosisOn: null, leaseSignedOn: null, proposals: [] })).toBe('to-meet');
    expect(fileStage({ diagnosisOn: '2025-01-01', leaseSignedOn: null, proposals: [] })).toBe('diagnosed');
    expect(
      fileStage({ diagnosisOn: '2025-01-01', leaseSignedOn: null, proposals: [{ response: 'pending' }] }),
    ).toBe('proposal-pending');
    expect(
      fileStage({ diagnosisOn: '2025-01-01', leaseSignedOn: null, proposals: [{ response: 'refused' }] }),
    ).toBe('searching');
    expect(
      fileStage({ diagnosisOn: null, leaseSignedOn: '2025-05-01', proposals: [{ response: 'accepted' }] }),
    ).toBe('rehoused');
  });
});
