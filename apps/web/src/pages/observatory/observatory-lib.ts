import type { MixParams, MixScale, MixUnit } from './types.ts';

/**
 * Pure helpers of the observatory page: API addresses, number formats, sorting of units, chart
 * scales. Tested in apps/web/test/observatory.test.ts.
 */

/** Path (under /api/v1) of a figure for the parameters; `csv` for the download link. */
export function figurePath(
  epci: string,
  figure: 'indices' | 'uncertainty' | 'decomposition' | 'units',
  params: MixParams,
  format: 'json' | 'csv' = 'json',
): string {
  const query = new URLSearchParams({
    variable: params.variable,
    population: params.population,
    scale: params.scale,
  });
  if (params.population === 'lettings' && params.year !== null) query.set('year', String(params.year));
  if (format === 'csv') query.set('format', 'csv');
  return `/territories/${epci}/observatory/${figure}?${query}`;
}

/** Absolute URL of a CSV download (same origin). */
export function csvHref(path: string): string {
  return `/api/v1${path}`;
}

/** The scales that apply to a population: households outside the stock have no residence. */
export function scaleApplies(population: MixParams['population'], scale: MixScale): boolean {
  return !(population === 'households' && scale === 'residence');
}

const significant = new Intl.NumberFormat('fr-FR', { maximumSignificantDigits: 3 });
const twoDecimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/** An index in nats, three significant digits (« 0,0637 »). */
export const formatIndex = (value: number): string => significant.format(value);
/** A share as a percentage with one decimal (« 4,6 % », no-break space). */
export const formatShare = (share: number): string => `${oneDecimal.format(share * 100)}\u00a0%`;
/** A ratio with two decimals (« 1,35 »). */
export const formatRatio = (value: number): string => twoDecimals.format(value);
export const formatCount = (value: number): string => integer.format(value);
export const formatIps = (value: number): string => oneDecimal.format(value);

export type UnitSortKey = 'name' | 'commune' | 'total' | 'localScore' | 'contribution' | 'share' | 'quotient';
export type SortDirection = 'ascending' | 'descending';

/**
 * The year of leases shown first: the latest whose number of leases is published (a year of 1 to
 * 10 leases, e.g. the first days of a year, shows nothing but secrets), else the latest.
 */
export function defaultYear(lettings: readonly { year: number; count: number | null }[]): number | null {
  const sorted = lettings.toSorted((a, b) => b.year - a.year);
  return (sorted.find((l) => l.count !== null && l.count > 0) ?? sorted[0])?.year ?? null;
}

/** Text of a value covered by statistical secrecy (shown as text, never by colour alone). */
export const SECRET_TEXT = 'secret';

/**
 * Units sorted by a column; `group` is the group index of the share and quotient columns. Secret
 * (null) values come last in both directions. Stable, ties by name.
 */
export function sortUnits(
  units: readonly MixUnit[],
  key: UnitSortKey,
  direction: SortDirection,
  group: number,
): MixUnit[] {
  const value = (u: MixUnit): number | string | null => {
    switch (key) {
      case 'name':
        return u.name;
      case 'commune':
        return u.commune?.name ?? '';
      case 'total':
        return u.total;
      case 'localScore':
        return u.localScore;
      case 'contribution':
        return u.contribution;
      case 'share':
        return u.shares[group] ?? null;
      case 'quotient':
        return u.locationQuotients[group] ?? null;
    }
  };
  const sign = direction === 'ascending' ? 1 : -1;
  return units.toSorted((a, b) => {
    const x = value(a);
    const y = value(b);
    if ((x === null) !== (y === null)) return x === null ? 1 : -1;
    const order =
      x === null || y === null
        ? 0
        : typeof x === 'string' || typeof y === 'string'
          ? String(x).localeCompare(String(y), 'fr')
          : (x as number) - (y as number);
    return order * sign || a.name.localeCompare(b.name, 'fr') || a.code.localeCompare(b.code);
  });
}

/** Round tick values (about `count` of them) from a multiple of the step at or below `min` to one at or above `max`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  const end = Math.ceil(max / step - 1e-9) * step;
  for (let t = Math.floor(min / step + 1e-9) * step; t <= end + step * 1e-9; t += step)
    ticks.push(Number(t.toFixed(10)));
  return ticks;
}
