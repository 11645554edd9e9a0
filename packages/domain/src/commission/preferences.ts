/**
 * The applicant's order of preference among their applications, as the allocation engine's rank
 * (docs/decisions/0010-commission-pages-and-preferences.md). Pure.
 */

export interface PreferenceEntry {
  applicant: string;
  home: string;
  /** 1 = preferred; null when the applicant has not ordered this application. */
  preference: number | null;
}

/**
 * The rank of each (applicant, home) among the applicant's applications of the batch: 1, 2, 3… in
 * the applicant's order (unordered applications after the ordered ones, by home id). An applicant who
 * ordered none of them stated no preference: every application has rank 1, so none is favoured.
 * Keys are `applicant\u0000home`.
 */
export function preferenceRanks(entries: readonly PreferenceEntry[]): Map<string, number> {
  const byApplicant = new Map<string, PreferenceEntry[]>();
  for (const e of entries) {
    const list = byApplicant.get(e.applicant);
    if (list) list.push(e);
    else byApplicant.set(e.applicant, [e]);
  }
  const ranks = new Map<string, number>();
  for (const [applicant, list] of byApplicant) {
    const ordered = list.some((e) => e.preference !== null);
    const sorted = [...list].sort(
      (a, b) =>
        (a.preference ?? Number.POSITIVE_INFINITY) - (b.preference ?? Number.POSITIVE_INFINITY) ||
        (a.home < b.home ? -1 : a.home > b.home ? 1 : 0),
    );
    sorted.forEach((e, i) => {
      ranks.set(`${applicant}\u0000${e.home}`, ordered ? i + 1 : 1);
    });
  }
  return ranks;
}

/**
 * Problems of a new preference order sent by an applicant, in French: it must list each of their
 * active applications exactly once, and nothing else.
 */
export function preferenceOrderProblems(active: readonly string[], order: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(active);
  const seen = new Set<string>();
  for (const id of order) {
    if (!known.has(id)) problems.push(`candidature ${id} : ce n’est pas une de vos candidatures en cours`);
    else if (seen.has(id)) problems.push(`candidature ${id} : figure deux fois dans l’ordre`);
    seen.add(id);
  }
  for (const id of active) {
    if (!seen.has(id))
      problems.push(
        `candidature ${id} : manque dans l’ordre (toutes vos candidatures en cours doivent y figurer)`,
      );
  }
  return problems;
}
