import { describe, expect, it } from 'vitest';
import { ageOn, categoryLabel, householdCategory } from '../../src/eligibility/household-category.ts';
import { aDemand } from '../cotation/factory.ts';

// Categories of docs/RULES.md §5 (arrêté du 29 juillet 1987, art. 1).
const category = (overrides: Parameters<typeof aDemand>[0], date = '2026-01-01') =>
  householdCategory(aDemand(overrides), date);

describe('householdCategory', () => {
  it('puts one person in category 1, and one disabled person in category 2', () => {
    expect(category({})).toEqual({ category: 1, persons: 1, step: null });
    expect(category({ priorityCriteria: ['disability'] })).toEqual({
      category: 2,
      persons: 1,
      step: 'disabled-member',
    });
  });

  it('puts two persons without dependants in category 2 unless they are a young household', () => {
    const couple = { householdType: 'couple' as const, persons14OrMore: 2 };
    expect(category({ ...couple, applicantBirthDate: '1980-01-01' }).category).toBe(2);
    // Applicant aged 27 on the date: taken as a young household (sum of ages ≤ 55), category 3.
    expect(category({ ...couple, applicantBirthDate: '1998-06-30' })).toMatchObject({
      category: 3,
      step: 'young-household',
    });
    // Aged 28 the day before the date: not young.
    expect(category({ ...couple, applicantBirthDate: '1997-12-31' }).category).toBe(2);
  });

  it('puts one person with one dependant, or two persons one of whom is disabled, in category 3', () => {
    expect(category({ householdType: 'single-parent', persons14OrMore: 1, personsUnder14: 1 })).toMatchObject(
      { category: 3, step: 'single-with-dependants' },
    );
    expect(
      category({
        householdType: 'couple',
        persons14OrMore: 2,
        applicantBirthDate: '1960-01-01',
        priorityCriteria: ['disability'],
      }),
    ).toMatchObject({ category: 3, step: 'disabled-member' });
    expect(
      category({ householdType: 'couple-with-children', persons14OrMore: 2, personsUnder14: 1 }).category,
    ).toBe(3);
  });

  it('puts four persons, one person with two dependants, or three persons with a disabled one in category 4', () => {
    expect(
      category({ householdType: 'couple-with-children', persons14OrMore: 2, personsUnder14: 2 }).category,
    ).toBe(4);
    expect(category({ householdType: 'single-parent', persons14OrMore: 2, personsUnder14: 1 }).category).toBe(
      4,
    );
    expect(
      category({
        householdType: 'couple-with-children',
        persons14OrMore: 2,
        personsUnder14: 1,
        priorityCriteria: ['disability'],
      }).category,
    ).toBe(4);
  });

  it('does not add the steps up: a single parent with a disabled child goes up one category only', () => {
    expect(
      category({
        householdType: 'single-parent',
        persons14OrMore: 1,
        personsUnder14: 2,
        priorityCriteria: ['disability'],
      }).category,
    ).toBe(4);
  });

  it('goes beyond 6 as « category 6 plus persons »', () => {
    expect(
      category({ householdType: 'couple-with-children', persons14OrMore: 3, personsUnder14: 5 }).category,
    ).toBe(8);
    expect(categoryLabel(8)).toBe('catégorie 6 + 2 personnes');
    expect(categoryLabel(7)).toBe('catégorie 6 + 1 personne');
    expect(categoryLabel(3)).toBe('catégorie 3');
  });

  it('counts ages in completed years', () => {
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
  });
});
