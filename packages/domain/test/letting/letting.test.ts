import { describe, expect, it } from 'vitest';
import {
  advertEditable,
  advertTextProblems,
  buildShortlist,
  chanceBand,
  chanceOf,
  cycleProblems,
  cycleTakesApplications,
  type RankedCandidate,
} from '../../src/letting/index.ts';

const c = (sneNumber: string, score: number | null, registeredOn: string): RankedCandidate => ({
  sneNumber,
  score,
  registeredOn,
});

describe('advert and cycle validation', () => {
  it('requires a real description and an energy label from A to G', () => {
    expect(advertTextProblems({ description: 'T3 lumineux au 4e avec ascenseur', energyLabel: 'C' })).toEqual(
      [],
    );
    expect(advertTextProblems({ description: 'court', energyLabel: null })).toEqual([
      'la description doit compter au moins 20 caractères',
    ]);
    expect(advertTextProblems({ description: 'x'.repeat(4001), energyLabel: 'H' as never })).toHaveLength(2);
  });

  it('requires a cycle to close after it opens, with a limit of 1 to 20', () => {
    const ok = {
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: '2026-01-15T00:00:00Z',
      maxActiveApplications: 3,
    };
    expect(cycleProblems(ok)).toEqual([]);
    expect(cycleProblems({ ...ok, closesAt: ok.opensAt })).toEqual([
      'la clôture du cycle doit suivre son ouverture',
    ]);
    expect(cycleProblems({ ...ok, maxActiveApplications: 0 })).toHaveLength(1);
    expect(cycleTakesApplications({ ...ok, status: 'open' }, '2026-01-14T23:59:59Z')).toBe(true);
    expect(cycleTakesApplications({ ...ok, status: 'open' }, '2026-01-15T00:00:00Z')).toBe(false);
    expect(cycleTakesApplications({ ...ok, status: 'closed' }, '2026-01-10T00:00:00Z')).toBe(false);
  });

  it('freezes a published advert once someone applied', () => {
    expect(advertEditable('draft', 0)).toBe(true);
    expect(advertEditable('published', 0)).toBe(true);
    expect(advertEditable('published', 1)).toBe(false);
    expect(advertEditable('withdrawn', 0)).toBe(false);
  });
});

describe('chance', () => {
  it('bands ranks: ≤ 3 forte, ≤ 10 moyenne, else faible (settings)', () => {
    expect([1, 3, 4, 10, 11].map((r) => chanceBand(r))).toEqual([
      'forte',
      'forte',
      'moyenne',
      'moyenne',
      'faible',
    ]);
    expect(chanceBand(2, { strongMaxRank: 1, mediumMaxRank: 2 })).toBe('moyenne');
  });

  it('ranks by score, then seniority, and counts a prospective applicant', () => {
    const applicants = [
      c('A', 30, '2020-01-01'),
      c('B', 50, '2022-01-01'),
      c('C', 30, '2019-01-01'),
      c('D', null, '2010-01-01'),
    ];
    expect(chanceOf(applicants[0]!, applicants)).toMatchObject({ rank: 3, applicants: 4, band: 'forte' });
    expect(chanceOf(applicants[3]!, applicants).rank).toBe(4);
    const newcomer = chanceOf(c('E', 40, '2024-01-01'), applicants);
    expect(newcomer).toMatchObject({ rank: 2, applicants: 5 });
    expect(newcomer.message).toBe('Si vous candidatez, vous serez 2e sur 5 candidats : chance forte.');
    expect(chanceOf(applicants[1]!, applicants).message).toBe(
      'Vous êtes 1er sur 4 candidats : chance forte.',
    );
  });

  it('moves down as better-placed applicants arrive', () => {
    const me = c('ME', 10, '2020-01-01');
    const crowd = Array.from({ length: 12 }, (_, i) => c(`X${i}`, 20 + i, '2021-01-01'));
    expect(chanceOf(me, [me]).band).toBe('forte');
    expect(chanceOf(me, [me, ...crowd.slice(0, 5)]).band).toBe('moyenne');
    expect(chanceOf(me, [me, ...crowd])).toMatchObject({ rank: 13, band: 'faible' });
  });
});

describe('shortlist', () => {
  const eligible = { eligible: true, failures: [] };
  it('ranks eligible and « à vérifier » applicants, excludes the ineligible with the rule they fail', () => {
    const failure = {
      rule: 'income-ceiling' as const,
      status: 'failed' as const,
      message: 'ressources 41 000 € > plafond PLUS 2026',
      value: 41_000,
      limit: 37_584,
    };
    const list = buildShortlist([
      { ...c('A', 10, '2020-01-01'), eligibility: eligible },
      { ...c('B', 90, '2021-01-01'), eligibility: { eligible: false, failures: [failure] } },
      { ...c('C', 10, '2018-01-01'), eligibility: { eligible: null, failures: [] } },
      { ...c('D', 40, '2023-01-01'), eligibility: eligible },
    ]);
    expect(list.map((e) => [e.sneNumber, e.rank, e.eligible])).toEqual([
      ['D', 1, true],
      ['C', 2, null],
      ['A', 3, true],
      ['B', null, false],
    ]);
    expect(list[3]!.excludedReasons).toEqual(['ressources 41 000 € > plafond PLUS 2026']);
  });
});
