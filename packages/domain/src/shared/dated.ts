/**
 * A rule value that holds over a period: ceilings, targets, scales, grids change with time (and
 * place), so they are data with a validity period, never constants in code. Dates are ISO
 * (YYYY-MM-DD); `validUntil` is inclusive, null while in force.
 */
export interface Dated<T> {
  validFrom: string;
  validUntil: string | null;
  /** Where the value comes from (text, article, order), shown to users. */
  source: string;
  value: T;
}

/** No value of a dated rule covers the date asked for (a user can fix it: another date, or record the rule). */
export class RuleNotInForceError extends Error {
  constructor(
    readonly rule: string,
    readonly date: string,
  ) {
    super(`aucune valeur de « ${rule} » en vigueur le ${date}`);
    this.name = 'RuleNotInForceError';
  }
}

/** The value in force on `date`, or a RuleNotInForceError naming the rule when none covers it. */
export function valueOn<T>(rule: string, entries: readonly Dated<T>[], date: string): Dated<T> {
  const found = entries.find((e) => e.validFrom <= date && (e.validUntil === null || date <= e.validUntil));
  if (!found) throw new RuleNotInForceError(rule, date);
  return found;
}
