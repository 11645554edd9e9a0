/**
 * What is wrong with an imported file, precisely enough for a person to fix it: the file, where in
 * it (line of a CSV, feature of a GeoJSON), the field, the value and the rule it breaks.
 * Every import collects all its issues before failing, so a file is corrected in one pass.
 */
export interface ImportIssue {
  file: string;
  /** 1-based line of a CSV file (the header is line 1). */
  line?: number;
  /** Position of a feature in a GeoJSON FeatureCollection (0-based), or a JSON path. */
  location?: string;
  field?: string;
  value?: string;
  /** The rule, in French: « doit être un nombre », « code INSEE inconnu »… */
  rule: string;
}

export function formatImportIssue(issue: ImportIssue): string {
  const where = [
    issue.file,
    issue.line !== undefined ? `ligne ${issue.line}` : undefined,
    issue.location,
    issue.field !== undefined ? `champ « ${issue.field} »` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const value = issue.value !== undefined ? ` (valeur « ${truncate(issue.value, 60)} »)` : '';
  return `${where} : ${issue.rule}${value}`;
}

export class ImportError extends Error {
  constructor(readonly issues: readonly ImportIssue[]) {
    const shown = issues.slice(0, 20).map(formatImportIssue);
    const more = issues.length > 20 ? [`… et ${issues.length - 20} autre(s) erreur(s)`] : [];
    super(
      `Import refusé, ${issues.length} erreur(s) ; rien n'a été modifié.\n${[...shown, ...more].join('\n')}`,
    );
    this.name = 'ImportError';
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
