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

/** The value in force on `date`, or an error naming the rule when none covers it. */
export function valueOn<T>(rule: string, entries: readonly Dated<T>[], date: string): Dated<T> {
  const found = entries.find((e) => e.validFrom <= date && (e.validUntil === null || date <= e.validUntil));
  if (!found) throw new Error(`aucune valeur de « ${rule} » en vigueur le ${date}`);
  return found;
}
