import { describe, expect, it } from 'vitest';
import { preferenceOrderProblems, preferenceRanks } from '../../src/commission/index.ts';

describe('applicant preference order as the engine rank', () => {
  it('ranks an applicant’s applications in their order, unordered ones after, by home id', () => {
    const ranks = preferenceRanks([
      { applicant: 'A', home: 'h3', preference: 2 },
      { applicant: 'A', home: 'h1', preference: null },
      { applicant: 'A', home: 'h2', preference: 1 },
      { applicant: 'A', home: 'h0', preference: null },
    ]);
    expect(ranks.get('A\u0000h2')).toBe(1);
    expect(ranks.get('A\u0000h3')).toBe(2);
    expect(ranks.get('A\u0000h0')).toBe(3);
    expect(ranks.get('A\u0000h1')).toBe(4);
  });

  it('gives rank 1 to every application of an applicant who stated no order, and ranks within the batch only', () => {
    const ranks = preferenceRanks([
      { applicant: 'B', home: 'h1', preference: null },
      { applicant: 'B', home: 'h2', preference: null },
      // Preferences 3 and 5 (the others were in another cycle) become ranks 1 and 2.
      { applicant: 'C', home: 'h1', preference: 5 },
      { applicant: 'C', home: 'h2', preference: 3 },
    ]);
    expect([ranks.get('B\u0000h1'), ranks.get('B\u0000h2')]).toEqual([1, 1]);
    expect([ranks.get('C\u0000h2'), ranks.get('C\u0000h1')]).toEqual([1, 2]);
  });

  it('refuses an order that misses, repeats or adds an application, naming it', () => {
    expect(preferenceOrderProblems(['x', 'y'], ['y', 'x'])).toEqual([]);
    expect(preferenceOrderProblems(['x', 'y', 'z'], ['y', 'y', 'w'])).toEqual([
      'candidature y : figure deux fois dans l’ordre',
      'candidature w : ce n’est pas une de vos candidatures en cours',
      'candidature x : manque dans l’ordre (toutes vos candidatures en cours doivent y figurer)',
      'candidature z : manque dans l’ordre (toutes vos candidatures en cours doivent y figurer)',
    ]);
  });
});
