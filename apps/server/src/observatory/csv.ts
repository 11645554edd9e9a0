import { csvLine } from '@mosaique/domain/shared/csv.ts';

/**
 * CSV downloads of the observatory (RFC 4180): comma-separated, fields quoted when needed, dot as
 * decimal separator, UTF-8, CRLF line ends, one header line whose names are French (the figures are
 * meant for spreadsheets and for re-use as open data); booleans read « oui » / « non ».
 */
export type CsvValue = string | number | boolean | null | undefined;

const cell = (value: CsvValue) =>
  typeof value === 'boolean'
    ? value
      ? 'oui'
      : 'non'
    : typeof value === 'number' && !Number.isFinite(value)
      ? null
      : value;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `${[header, ...rows].map((row) => csvLine(row.map(cell))).join('\r\n')}\r\n`;
}
