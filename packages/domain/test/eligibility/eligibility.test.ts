import { describe, expect, it } from 'vitest';
import { type EligibilityHome, eligibility } from '../../src/eligibility/eligibility.ts';
import { formatEur, formatNumber, formatPercent } from '../../src/eligibility/format.ts';
import { DEFAULT_ELIGIBILITY_SETTINGS } from '../../src/eligibility/settings.ts';
import { zoningOf } from '../../src/eligibility/zones.ts';
import { aDemand } from '../cotation/factory.ts';

// The sentences use a narrow no-break space between thousands and a no-break space before the unit;
// the tests write them with ordinary spaces for readability.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');
const GRENOBLE = '38185';
const home = (overrides: Partial<EligibilityHome> = {}): EligibilityHome => ({
  typology: 3,
  financing: 'PLUS',
  rentEur: 450,
  chargesEur: 100,
  commune: GRENOBLE,
  ...overrides,
});
const family = aDemand({
  householdType: 'couple-with-children',
  persons14OrMore: 2,
  personsUnder14: 1,
  monthlyResourcesEur: 2_600,
  referenceTaxIncomeEur: 31_200,
});

describe('French number formatting', () => {
  it('groups thousands with a narrow no-break space and puts a no-break space before the unit', () => {
    expect(formatEur(31_200)).toBe('31\u202f200\u00a0€');
    expect(formatEur(1_234_567.4)).toBe('1\u202f234\u202f567\u00a0€');
    expect(formatEur(12.5, 2)).toBe('12,50\u00a0€');
    expect(formatNumber(-1500)).toBe('−1\u202f500');
    expect(formatPercent(0.4123)).toBe('41,2\u00a0%');
    expect(formatPercent(0.35)).toBe('35\u00a0%');
  });
});

describe('eligibility', () => {
  it('accepts a family of three under the PLUS 2026 ceiling in a T3 it can afford', () => {
    const r = eligibility(family, home(), '2026-03-01');
    expect(r.eligible).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.category.category).toBe(3);
    // docs/RULES.md §5: PLUS 2026, other regions, category 3 = 37,584 €.
    expect(plain(r.checks[0]!.message)).toBe(
      'ressources 31 200 € ≤ plafond PLUS 2026 catégorie 3 autres régions 37 584 €',
    );
  });

  it('refuses income above the ceiling, with the figures', () => {
    const r = eligibility({ ...family, referenceTaxIncomeEur: 41_000 }, home(), '2026-03-01');
    expect(r.eligible).toBe(false);
    expect(r.failures.map((f) => f.rule)).toEqual(['income-ceiling']);
    expect(plain(r.failures[0]!.message)).toBe(
      'ressources 41 000 € > plafond PLUS 2026 catégorie 3 autres régions 37 584 €',
    );
    expect(r.failures[0]).toMatchObject({ value: 41_000, limit: 37_584 });
  });

  it('uses the PLS ceiling (PLUS × 1.30) for a PLS home', () => {
    const r = eligibility(
      { ...family, referenceTaxIncomeEur: 41_000 },
      home({ financing: 'PLS' }),
      '2026-03-01',
    );
    expect(r.eligible).toBe(true);
    expect(plain(r.checks[0]!.message)).toBe(
      'ressources 41 000 € ≤ plafond PLS 2026 catégorie 3 autres régions 48 859 €',
    );
  });

  it('refuses a home with more rooms than persons + 1 (under-occupancy)', () => {
    const r = eligibility(aDemand({ monthlyResourcesEur: 2_000 }), home({ typology: 3 }), '2026-03-01');
    expect(r.failures.map((f) => f.rule)).toEqual(['household-size']);
    expect(plain(r.failures[0]!.message)).toBe(
      'logement T3 > 1 personne + 1 pièce (maximum T2) : sous-occupation',
    );
  });

  it('refuses an effort ratio above the maximum, showing rent, charges, benefit and resources', () => {
    const r = eligibility({ ...family, monthlyResourcesEur: 1_200 }, home(), '2026-03-01');
    expect(r.failures.map((f) => f.rule)).toEqual(['effort-ratio']);
    expect(plain(r.failures[0]!.message)).toBe(
      'taux d’effort 45,8 % > maximum 35 % (loyer 450 € + charges 100 € − aide au logement estimée 0 €, ressources 1 200 € par mois)',
    );
  });

  it('shows two decimals when one would print the ratio equal to the maximum it exceeds', () => {
    const r = eligibility(
      { ...family, monthlyResourcesEur: 1_000 },
      home({ rentEur: 300, chargesEur: 50.4 }),
      '2026-03-01',
    );
    expect(plain(r.failures[0]!.message)).toMatch(
      /^taux d’effort 35,04 % > maximum 35 % \(loyer 300 € \+ charges 50 €/,
    );
  });

  it('lets an EPCI plug a housing-benefit estimate and change the maximum effort ratio', () => {
    const settings = { ...DEFAULT_ELIGIBILITY_SETTINGS, maxEffortRatio: 0.3, housingBenefit: () => 250 };
    const r = eligibility({ ...family, monthlyResourcesEur: 1_200 }, home(), '2026-03-01', settings);
    expect(r.eligible).toBe(true);
    expect(plain(r.checks[2]!.message)).toContain('taux d’effort 25 % ≤ maximum 30 %');
  });

  it('refuses a household without resources on the effort ratio', () => {
    const r = eligibility({ ...family, monthlyResourcesEur: 0 }, home(), '2026-03-01');
    expect(plain(r.failures[0]!.message)).toMatch(
      /^taux d’effort non calculable : ressources mensuelles nulles/,
    );
  });

  it('lists every failed rule', () => {
    const r = eligibility(
      aDemand({ referenceTaxIncomeEur: 30_000, monthlyResourcesEur: 900 }),
      home({ typology: 4 }),
      '2026-03-01',
    );
    expect(r.failures.map((f) => f.rule)).toEqual(['income-ceiling', 'household-size', 'effort-ratio']);
  });

  it('is undetermined, not eligible, when the ceiling is not recorded', () => {
    const r = eligibility(family, home(), '2025-03-01');
    expect(r.eligible).toBeNull();
    expect(r.checks[0]!.status).toBe('unknown');
    expect(plain(r.checks[0]!.message)).toBe(
      'ressources 31 200 € : plafond PLUS 2025 catégorie 3 autres régions inconnu (aucun plafond PLUS enregistré pour 2025)',
    );
  });

  it('uses the PLI zone for a PLI home', () => {
    const r = eligibility(
      aDemand({ referenceTaxIncomeEur: 36_000 }),
      home({ financing: 'PLI', typology: 2 }),
      '2025-03-01',
    );
    expect(plain(r.failures[0]!.message)).toBe(
      'ressources 36 000 € > plafond PLI 2025 catégorie 1 zone B1 35 435 €',
    );
  });

  it('lets the size and effort checks be switched off', () => {
    const settings = { ...DEFAULT_ELIGIBILITY_SETTINGS, maxEffortRatio: null, maxRoomsAbovePersons: null };
    const r = eligibility(
      aDemand({ monthlyResourcesEur: 100 }),
      home({ typology: 5 }),
      '2026-03-01',
      settings,
    );
    expect(r.checks.map((c) => c.rule)).toEqual(['income-ceiling']);
    expect(r.eligible).toBe(true);
  });

  it('maps the demo territory communes to « autres régions » and zone B1 (an assumption), and refuses unknown ones', () => {
    expect(zoningOf(GRENOBLE)).toMatchObject({ area: 'other-regions', pliZone: 'B1' });
    expect(zoningOf(GRENOBLE).source).toMatch(/^Hypothèse/);
    expect(() => zoningOf('75056')).toThrow('commune 75056 absente du zonage des plafonds de ressources');
  });
});
