import { describe, expect, it } from 'vitest';
import {
  addMonths,
  equalTreatmentAudit,
  monthlyResourcesPerUc,
  quantileClasses,
} from '../../src/audit/equal-treatment.ts';
import { DEFAULT_COTATION_GRID } from '../../src/cotation/default-grid.ts';
import type { CotationGrid } from '../../src/cotation/grid.ts';
import type { Demand } from '../../src/demand/types.ts';
import type { Typology } from '../../src/stock/types.ts';

/** The demo grid reduced to seniority: demands registered the same day share one score. */
const GRID: CotationGrid = {
  ...DEFAULT_COTATION_GRID,
  criteria: DEFAULT_COTATION_GRID.criteria.filter((c) => c.kind === 'duration'),
};

let counter = 0;
function demand(overrides: Partial<Demand> = {}): Demand {
  counter++;
  return {
    sneNumber: `038240100${String(counter).padStart(5, '0')}`,
    epci: '200040715',
    household: null,
    registeredOn: '2023-06-01',
    applicantBirthDate: '1985-03-10',
    householdType: 'couple',
    persons14OrMore: 2,
    personsUnder14: 0,
    monthlyResourcesEur: 2_400,
    referenceTaxIncomeEur: 24_000,
    currentHousing: 'private-tenant',
    currentCommune: '38185',
    reasons: [],
    desiredCommunes: ['38185'],
    desiredTypologies: [2],
    maxRentEur: null,
    priorityCriteria: [],
    dalo: false,
    urbanRenewalRelocation: false,
    currentSocialTenant: false,
    wheelchairAccess: false,
    status: 'active',
    closedOn: null,
    generated: true,
    ...overrides,
  };
}

/**
 * UC Berkeley admissions 1973 by department (R's `UCBAdmissions`), as demands: department k = the
 * typology sought k, men = single parents, admitted = housed in 2025. R 4.x,
 * `mantelhaen.test(UCBAdmissions)`: common odds ratio 0.9046968, 95 % interval 0.7719074 – 1.0603298.
 */
const UCB = [
  { a: 512, b: 313, c: 89, d: 19 },
  { a: 353, b: 207, c: 17, d: 8 },
  { a: 120, b: 205, c: 202, d: 391 },
  { a: 138, b: 279, c: 131, d: 244 },
  { a: 53, b: 138, c: 94, d: 299 },
  { a: 22, b: 351, c: 24, d: 317 },
];

function ucbDemands(): { demands: Demand[]; housedOn: Map<string, string> } {
  const demands: Demand[] = [];
  const housedOn = new Map<string, string>();
  UCB.forEach((t, k) => {
    const typology = (k + 1) as Typology;
    const add = (count: number, singleParent: boolean, housed: boolean) => {
      for (let i = 0; i < count; i++) {
        const d = demand({
          desiredTypologies: [typology],
          ...(singleParent
            ? {
                householdType: 'single-parent',
                persons14OrMore: 1,
                personsUnder14: 1,
                monthlyResourcesEur: 1_950,
              }
            : {}),
        });
        demands.push(d);
        if (housed) housedOn.set(d.sneNumber, '2025-05-15');
      }
    };
    add(t.a, true, true);
    add(t.b, true, false);
    add(t.c, false, true);
    add(t.d, false, false);
  });
  return { demands, housedOn };
}

describe('equalTreatmentAudit', () => {
  it('reproduces R’s mantelhaen.test on UCBAdmissions for a group, strata being the typologies sought', () => {
    const { demands, housedOn } = ucbDemands();
    // Two groups are testable (single parents and couples, each other's complement): α = 0.1
    // Bonferroni-corrected for 2 tests gives the 95 % interval R reports.
    const audit = equalTreatmentAudit({
      demands,
      housedOn,
      grid: GRID,
      from: '2025-01-01',
      to: '2025-12-31',
      settings: { alpha: 0.1 },
    });
    const housed = audit.outcomes.find((o) => o.outcome === 'housed')!;
    expect(housed.persons).toBe(4_526);
    expect(housed.events).toBe(1_755);
    expect([housed.tests, audit.tests]).toEqual([2, 2]);
    expect(housed.level).toBeCloseTo(0.95, 12);
    const singleParents = housed.groups.find((g) => g.group === 'single-parent')!;
    expect(singleParents.oddsRatio).toBeCloseTo(0.9046968, 6);
    expect(singleParents.lower).toBeCloseTo(0.7719074, 6);
    expect(singleParents.upper).toBeCloseTo(1.0603298, 6);
    expect(singleParents.strata).toBe(6);
    expect(singleParents.flagged).toBe(false);
    const couples = housed.groups.find((g) => g.group === 'couple')!;
    expect(couples.oddsRatio).toBeCloseTo(1 / 0.9046968, 6);
    // Everybody lives in Grenoble, is aged 30–49, is not vulnerable: nothing to compare, not tested.
    const grenoble = housed.groups.find((g) => g.variable === 'residence-commune')!;
    expect([grenoble.tested, grenoble.note]).toEqual([
      false,
      'moins de 30 personnes dans le groupe ou hors du groupe',
    ]);
    expect(audit.unavailable.map((u) => u.what)).toEqual([
      'Lieu de résidence : quartier prioritaire (QPV)',
      'Être retenu sur une liste de candidats',
      'Être présenté à la commission',
    ]);
  });

  it('flags a group whose corrected interval lies below 1 with an estimate below 0.9, and only it', () => {
    const demands: Demand[] = [];
    const housedOn = new Map<string, string>();
    // 400 vulnerable applicants housed at 15 %, 1,600 others at 30 %, in one stratum: OR = (0.15/0.85)/(0.3/0.7) ≈ 0.41.
    for (let i = 0; i < 2_000; i++) {
      const vulnerable = i < 400;
      const d = demand(vulnerable ? { monthlyResourcesEur: 1_000 } : {});
      demands.push(d);
      if (vulnerable ? i < 60 : i < 400 + 480) housedOn.set(d.sneNumber, '2025-03-03');
    }
    const audit = equalTreatmentAudit({
      demands,
      housedOn,
      grid: GRID,
      from: '2025-01-01',
      to: '2025-12-31',
    });
    const housed = audit.outcomes.find((o) => o.outcome === 'housed')!;
    const vulnerable = housed.groups.find((g) => g.variable === 'economic-vulnerability')!;
    expect(vulnerable.oddsRatio).toBeCloseTo(60 / 340 / (480 / 1120), 10);
    expect(vulnerable.flagged).toBe(true);
    expect(housed.groups.filter((g) => g.flagged)).toHaveLength(1);
    expect(audit.flagged).toBe(1);
  });

  it('counts waiting time as housed within N months of the registration, on the demands followed that long', () => {
    const early = demand({ registeredOn: '2024-02-01' });
    const late = demand({ registeredOn: '2024-03-01' });
    const tooRecent = demand({ registeredOn: '2025-02-01' });
    const audit = equalTreatmentAudit({
      demands: [early, late, tooRecent],
      housedOn: new Map([
        [early.sneNumber, '2025-01-31'], // 12 months
        [late.sneNumber, '2025-03-02'], // 12 months and a day
        [tooRecent.sneNumber, '2025-03-01'],
      ]),
      grid: GRID,
      from: '2025-01-01',
      to: '2025-12-31',
    });
    const within = audit.outcomes.find((o) => o.outcome === 'housed-within')!;
    expect(within.definition).toMatch(/entre le 2024-01-01 et le 2024-12-31/);
    expect([within.persons, within.events]).toEqual([2, 1]);
  });

  it('audits shortlisting and proposals among the platform’s applicants when there are some', () => {
    const a = demand();
    const b = demand();
    const audit = equalTreatmentAudit({
      demands: [a, b, demand()],
      housedOn: new Map(),
      platform: new Map([
        [a.sneNumber, { shortlisted: true, proposed: false }],
        [b.sneNumber, { shortlisted: true, proposed: true }],
      ]),
      grid: GRID,
      from: '2025-01-01',
      to: '2025-12-31',
    });
    const events = Object.fromEntries(audit.outcomes.map((o) => [o.outcome, [o.persons, o.events]]));
    expect(events.shortlisted).toEqual([2, 2]);
    expect(events.proposed).toEqual([2, 1]);
  });
});

describe('audit helpers', () => {
  it('measures economic vulnerability per OECD-modified consumption unit and month', () => {
    // 1 + 0.5 + 0.3 = 1.8 UC: 1,000 € a month is 555.56 € per UC, under the 800 € line.
    expect(
      monthlyResourcesPerUc(
        { monthlyResourcesEur: 1_000, persons14OrMore: 2, personsUnder14: 1 },
        '2025-01-01',
      ),
    ).toBeCloseTo(555.5556, 3);
  });

  it('shifts dates by months, clamping to the month’s end', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-15', -12)).toBe('2024-03-15');
    expect(addMonths('2025-01-01', -13)).toBe('2023-12-01');
  });

  it('puts ties in one quantile class', () => {
    expect([...quantileClasses([5, 1, 1, 1, 9, 7, 3, 3, 2, 8], 5)]).toEqual([3, 0, 0, 0, 4, 3, 2, 2, 1, 4]);
  });
});
