/**
 * French number formatting for the sentences shown to users (« 31 200 € », « 41,2 % »), written by
 * hand so that the output does not depend on the ICU data of the runtime. Thousands are grouped with
 * a narrow no-break space (U+202F, as Intl's fr-FR does); the unit follows a no-break space (U+00A0).
 */

/** Narrow no-break space: the thousands separator. */
export const THOUSANDS_SEPARATOR = '\u202f';
/** No-break space: between a number and its unit (€, %). */
export const UNIT_SEPARATOR = '\u00a0';

/** A number with French grouping and decimal comma, `fractionDigits` decimals (rounded half away from zero). */
export function formatNumber(value: number, fractionDigits = 0): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '—';
  const factor = 10 ** fractionDigits;
  const rounded = Math.round(Math.abs(value) * factor) / factor;
  const [integer, fraction] = rounded.toFixed(fractionDigits).split('.') as [string, string | undefined];
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS_SEPARATOR);
  const sign = value < 0 && rounded !== 0 ? '−' : '';
  return `${sign}${grouped}${fraction ? `,${fraction}` : ''}`;
}

/** An amount in euros, rounded to the euro by default: « 31 200 € ». */
export function formatEur(value: number, fractionDigits = 0): string {
  return `${formatNumber(value, fractionDigits)}${UNIT_SEPARATOR}€`;
}

/** A ratio as a percentage, trailing zero decimals dropped: formatPercent(0.412) = « 41,2 % », formatPercent(0.35) = « 35 % ». */
export function formatPercent(ratio: number, fractionDigits = 1): string {
  const text = formatNumber(ratio * 100, fractionDigits).replace(/,0+$/, '');
  return `${text}${UNIT_SEPARATOR}%`;
}
