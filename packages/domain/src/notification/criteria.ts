/**
 * An applicant's saved search (« alerte ») over the adverts: the same filters as GET /adverts, with
 * the same meaning (letting-repository `listAdverts`). Pure.
 */

export interface AlertCriteria {
  /** INSEE codes of communes; empty: any commune. */
  communes: readonly string[];
  /** Typologies 1 (T1) to 6 (T6 or more); empty: any. */
  typologies: readonly number[];
  /** Highest monthly rent plus charges, €; null: any. */
  maxTotalRentEur: number | null;
  /** true: only homes accessible in a wheelchair; null: any. */
  accessible: boolean | null;
  /** true: only homes with a lift; null: any. */
  lift: boolean | null;
  /** Highest floor accepted without a lift (a home with a lift passes whatever its floor); null: any. */
  maxFloorWithoutLift: number | null;
}

/** What a saved search looks at in an advertised home. */
export interface MatchableHome {
  commune: string;
  typology: number;
  rentEur: number;
  chargesEur: number;
  accessible: boolean;
  lift: boolean;
  floor: number;
}

const COMMUNE_CODE = /^[0-9][0-9AB][0-9]{3}$/;

/** Whether the home passes every filter of the saved search (as `GET /adverts` would list it). */
export function matchesCriteria(c: AlertCriteria, home: MatchableHome): boolean {
  if (c.communes.length > 0 && !c.communes.includes(home.commune)) return false;
  if (c.typologies.length > 0 && !c.typologies.includes(home.typology)) return false;
  if (c.maxTotalRentEur !== null && home.rentEur + home.chargesEur > c.maxTotalRentEur) return false;
  if (c.accessible !== null && home.accessible !== c.accessible) return false;
  if (c.lift !== null && home.lift !== c.lift) return false;
  if (c.maxFloorWithoutLift !== null && !home.lift && home.floor > c.maxFloorWithoutLift) return false;
  return true;
}

/** Problems of a saved search, in French, each naming the field and the rule (empty when valid). */
export function criteriaProblems(c: AlertCriteria): string[] {
  const problems: string[] = [];
  if (c.communes.length > 100) problems.push('communes : 100 communes au plus');
  for (const code of c.communes) {
    if (!COMMUNE_CODE.test(code))
      problems.push(`communes : « ${code} » n’est pas un code INSEE de commune (5 caractères)`);
  }
  for (const t of c.typologies) {
    if (!Number.isInteger(t) || t < 1 || t > 6)
      problems.push(`typologies : ${t} n’est pas une typologie de 1 (T1) à 6 (T6 et plus)`);
  }
  if (new Set(c.typologies).size !== c.typologies.length)
    problems.push('typologies : une typologie est en double');
  if (
    c.maxTotalRentEur !== null &&
    (!Number.isFinite(c.maxTotalRentEur) || c.maxTotalRentEur < 0 || c.maxTotalRentEur > 100_000)
  )
    problems.push('loyer charges comprises maximum : un montant en euros de 0 à 100 000 est attendu');
  if (
    c.maxFloorWithoutLift !== null &&
    (!Number.isInteger(c.maxFloorWithoutLift) || c.maxFloorWithoutLift < 0 || c.maxFloorWithoutLift > 50)
  )
    problems.push('étage maximum sans ascenseur : un nombre entier de 0 à 50 est attendu');
  return problems;
}

const typologyText = (t: number) => (t >= 6 ? 'T6 et plus' : `T${t}`);
const listText = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ou ${items[items.length - 1]}`;

/** The saved search in one French sentence, e.g. « T2 ou T3, à Échirolles, 600 € charges comprises au plus ». */
export function describeCriteria(c: AlertCriteria, communeName: (code: string) => string = (x) => x): string {
  const parts: string[] = [];
  parts.push(
    c.typologies.length
      ? listText([...c.typologies].sort((a, b) => a - b).map(typologyText))
      : 'toutes typologies',
  );
  parts.push(c.communes.length ? `à ${listText(c.communes.map(communeName))}` : 'dans toutes les communes');
  if (c.maxTotalRentEur !== null) parts.push(`${formatEur(c.maxTotalRentEur)} charges comprises au plus`);
  if (c.accessible === true) parts.push('accessible en fauteuil roulant');
  if (c.lift === true) parts.push('avec ascenseur');
  if (c.maxFloorWithoutLift !== null)
    parts.push(
      c.maxFloorWithoutLift === 0
        ? 'en rez-de-chaussée ou avec ascenseur'
        : `au ${c.maxFloorWithoutLift}${c.maxFloorWithoutLift === 1 ? 'er' : 'e'} étage au plus sans ascenseur`,
    );
  return parts.join(', ');
}

/** « 1 234 € » (French grouping, no decimals unless needed). */
export function formatEur(value: number): string {
  const text = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(value);
  return `${text.replace(/\u202f|\u00a0/g, ' ')} €`;
}
