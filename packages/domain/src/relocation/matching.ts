import type { RelocationConstraints, RelocationWishes } from './types.ts';

/** Age under which a home counts as new or recent (ANRU: less than 5 years; docs/RULES.md §7). */
export const NEW_OR_RECENT_YEARS = 5;

/** A home as matching needs it: from the stock, never re-entered. */
export interface MatchableHome {
  commune: string;
  typology: number;
  floor: number;
  lift: boolean;
  accessible: boolean;
  rentEur: number;
  chargesEur: number;
  constructionYear: number;
}

/** A home built less than NEW_OR_RECENT_YEARS years before `date` (YYYY-MM-DD). */
export function isNewOrRecent(constructionYear: number, date: string): boolean {
  return Number(date.slice(0, 4)) - constructionYear < NEW_OR_RECENT_YEARS;
}

export interface HomeMatch {
  matches: boolean;
  /** Each wish or constraint the home does not meet, in French, naming it. */
  unmet: string[];
}

/**
 * Whether a home meets a relocating household's wishes and constraints on `date`. Wishes left empty
 * accept anything; constraints (wheelchair, reduced mobility, school) are never relaxed. Work
 * communes and health care are shown to the officer but do not filter (distance is not modelled).
 */
export function matchHome(
  home: MatchableHome,
  wishes: RelocationWishes,
  constraints: RelocationConstraints,
  date: string,
): HomeMatch {
  const unmet: string[] = [];
  if (wishes.communes.length > 0 && !wishes.communes.includes(home.commune))
    unmet.push('commune : hors des communes souhaitées');
  if (wishes.typologies.length > 0 && !wishes.typologies.includes(home.typology))
    unmet.push(`typologie : T${home.typology} n’est pas parmi les typologies souhaitées`);
  if (wishes.maxFloorWithoutLift !== null && !home.lift && home.floor > wishes.maxFloorWithoutLift)
    unmet.push(
      `étage : ${home.floor}e sans ascenseur, au-delà du ${wishes.maxFloorWithoutLift}e accepté sans ascenseur`,
    );
  const recent = isNewOrRecent(home.constructionYear, date);
  if (wishes.age === 'new-or-recent' && !recent)
    unmet.push(`ancienneté : construit en ${home.constructionYear}, pas neuf ni récent (moins de 5 ans)`);
  if (wishes.age === 'older' && recent) unmet.push('ancienneté : logement neuf ou récent, non souhaité');
  const total = home.rentEur + home.chargesEur;
  if (wishes.maxRentWithChargesEur !== null && total > wishes.maxRentWithChargesEur)
    unmet.push(
      `budget : loyer et charges de ${Math.round(total)} € au-delà des ${Math.round(wishes.maxRentWithChargesEur)} € acceptés`,
    );
  if (constraints.wheelchairAccess && !home.accessible)
    unmet.push('accessibilité : logement non accessible en fauteuil roulant');
  if (constraints.reducedMobility && !home.lift && home.floor > 0)
    unmet.push('mobilité réduite : étage sans ascenseur');
  if (constraints.schoolCommunes.length > 0 && !constraints.schoolCommunes.includes(home.commune))
    unmet.push('scolarité : hors de la commune où les enfants sont scolarisés');
  return { matches: unmet.length === 0, unmet };
}
