/**
 * The rejects file of `mosaique demands import --skip-invalid`: the rows not imported, as read, with
 * two more columns, `line` (in the imported file) and `rejection_reasons` (every problem of the row,
 * in French, separated by `;`). The demand columns include an optional `reasons` (the Cerfa's
 * reasons), hence the longer name. The importer ignores both columns, so a corrected rejects file can
 * be imported again as it is.
 */
import { csvLine } from '../../shared/csv.ts';
import type { ImportIssue } from '../../shared/import-error.ts';
import { type DemandValidation, REJECTS_COLUMNS } from './validate.ts';

/** One reason of a rejected row: the field, the rule and the value. */
export function formatRejectReason(issue: ImportIssue): string {
  const value = issue.value !== undefined ? ` (valeur « ${issue.value} »)` : '';
  return `${issue.field !== undefined ? `${issue.field} : ` : ''}${issue.rule}${value}`;
}

/** The lines of the rejects file (header first, no line ends), from the validation of the file. */
export function* demandRejectsLines(
  validation: Pick<DemandValidation, 'header' | 'issues' | 'rejected'>,
): Generator<string> {
  const { header } = validation;
  const reasons = new Map<number, string[]>();
  for (const issue of validation.issues) {
    if (issue.line === undefined) continue;
    let list = reasons.get(issue.line);
    if (!list) reasons.set(issue.line, (list = []));
    list.push(formatRejectReason(issue));
  }
  const kept = header.filter((name) => !(REJECTS_COLUMNS as readonly string[]).includes(name));
  const keptIndex = kept.map((name) => header.indexOf(name));
  yield csvLine([...kept, ...REJECTS_COLUMNS]);
  for (const row of validation.rejected) {
    // A row with too many fields keeps its extra fields in its last column, as they were written.
    const fields =
      row.fields.length > header.length
        ? [...row.fields.slice(0, header.length - 1), row.fields.slice(header.length - 1).join(',')]
        : row.fields;
    yield csvLine([
      ...keptIndex.map((i) => fields[i] ?? ''),
      row.line,
      (reasons.get(row.line) ?? []).join('; '),
    ]);
  }
}
