import { MIX_GROUPS, type MixMembers, type MixSnapshot } from '../observatory/index.ts';
import type { CiaReview, TargetOutcome } from '../review/index.ts';
import type { CountColumn, CountTableInput, CountUnit } from './tables.ts';

/**
 * The tables of the open data of an EPCI, built from the observatory's snapshot (households and
 * leases as columns) and from the CIA review: counts only, never a person. The secrecy rule is
 * applied afterwards, to all of them together (publishTables).
 */

export type TerritoryDatasetId = 'menages-quartile' | 'parc-social-quartile' | 'attributions-quartile-qpv';
export type ReviewDatasetId =
  | 'bilan-cia-bailleur'
  | 'bilan-cia-reservataire'
  | 'bilan-cia-commune'
  | 'bilan-cia-typologie'
  | 'bilan-cia-prioritaires';

const QUARTILES: readonly CountColumn[] = MIX_GROUPS['income-quartile'].map((g) => ({
  code: g.code.toLowerCase(),
  label: g.label,
}));

/** Descriptions shown on the page and in docs/open-data.md. */
export const DATASET_DESCRIPTIONS: Readonly<Record<TerritoryDatasetId | ReviewDatasetId, string>> = {
  'menages-quartile':
    'Ménages par quartile de revenu disponible par unité de consommation (quartiles de l’ensemble des ménages de l’EPCI), par IRIS et par commune',
  'parc-social-quartile':
    'Ménages occupant un logement social par quartile de revenu, par IRIS et commune de la résidence',
  'attributions-quartile-qpv':
    'Ménages logés par un bail signé dans l’année, par quartile de revenu et selon que le logement est en QPV ou non, par IRIS et commune du logement',
  'bilan-cia-bailleur': 'Baux signés de l’année selon les objectifs de la CIA, par bailleur',
  'bilan-cia-reservataire': 'Baux signés de l’année selon les objectifs de la CIA, par réservataire',
  'bilan-cia-commune': 'Baux signés de l’année selon les objectifs de la CIA, par commune',
  'bilan-cia-typologie': 'Baux signés de l’année selon les objectifs de la CIA, par typologie',
  'bilan-cia-prioritaires': 'Baux signés de l’année aux publics prioritaires, par réservataire',
};

/** Whether a dataset has a map form (GeoJSON per IRIS and per commune). */
export const GEOGRAPHIC_DATASETS: readonly TerritoryDatasetId[] = [
  'menages-quartile',
  'parc-social-quartile',
  'attributions-quartile-qpv',
];

/** Counts of `members` (those with `keep`) per IRIS and column, nested EPCI > commune > IRIS. */
function byIris(
  snapshot: MixSnapshot,
  members: MixMembers,
  columns: readonly CountColumn[],
  columnOf: (k: number) => number,
  keep: (k: number) => boolean,
): CountUnit[] {
  const counts = snapshot.iris.map(() => new Array<number>(columns.length).fill(0));
  for (let k = 0; k < members.length; k++) {
    if (!keep(k)) continue;
    counts[members.iris[k]!]![columnOf(k)]!++;
  }
  return [
    ...snapshot.communes.map((c) => ({ level: 'commune', code: c.code, label: c.name, parent: null })),
    ...snapshot.iris.map((iris, i) => ({
      level: 'iris',
      code: iris.code,
      label: iris.name,
      parent: snapshot.communes[iris.commune]!.code,
      counts: counts[i]!,
    })),
  ].filter(
    (u) => u.level === 'iris' || snapshot.iris.some((i) => snapshot.communes[i.commune]!.code === u.code),
  );
}

/**
 * The three territorial tables: every household by income quartile; the social stock's occupants by
 * quartile; the year's lettings by quartile and QPV. Units are the IRIS (of the home for occupants
 * and lettings) within their commune.
 */
export function territoryTables(
  snapshot: MixSnapshot,
  epciName: string,
  year: number | null,
): CountTableInput[] {
  const whole = { level: 'epci', code: snapshot.epci, label: epciName };
  const quartile = (m: MixMembers) => (k: number) => m.groups['income-quartile'][k]!;
  const h = snapshot.households;
  const l = snapshot.lettings;
  const lettingColumns: CountColumn[] = [false, true].flatMap((inQpv) =>
    QUARTILES.map((q) => ({
      code: `${q.code}_${inQpv ? 'qpv' : 'hors_qpv'}`,
      label: `${q.label}, ${inQpv ? 'en QPV' : 'hors QPV'}`,
    })),
  );
  const tables: CountTableInput[] = [
    {
      id: 'menages-quartile',
      title: 'Ménages par quartile de revenu',
      whole,
      columns: QUARTILES,
      units: byIris(snapshot, h, QUARTILES, quartile(h), () => true),
    },
    {
      id: 'parc-social-quartile',
      title: 'Occupants du parc social par quartile de revenu',
      whole,
      columns: QUARTILES,
      units: byIris(snapshot, h, QUARTILES, quartile(h), (k) => h.residence[k]! >= 0),
    },
  ];
  if (year !== null) {
    tables.push({
      id: 'attributions-quartile-qpv',
      title: `Attributions ${year} par quartile de revenu et QPV`,
      whole,
      columns: lettingColumns,
      units: byIris(
        snapshot,
        l,
        lettingColumns,
        (k) => quartile(l)(k) + (l.qpv[k]! >= 0 ? QUARTILES.length : 0),
        (k) => l.year![k] === year,
      ),
    });
  }
  return tables;
}

/** Columns of the CIA breakdowns: a partition of the leases by the first two targets. */
export const REVIEW_COLUMNS: readonly CountColumn[] = [
  { code: 'hors_qpv_q1_ou_reloges', label: 'Hors QPV : premier quartile ou relogés' },
  { code: 'hors_qpv_autres', label: 'Hors QPV : autres ménages' },
  { code: 'qpv_autres_quartiles', label: 'En QPV : ménages des autres quartiles' },
  { code: 'qpv_q1', label: 'En QPV : premier quartile' },
];
export const PRIORITY_COLUMNS: readonly CountColumn[] = [
  { code: 'prioritaires', label: 'Publics prioritaires' },
  { code: 'autres', label: 'Autres ménages' },
];

const partition = (outside: TargetOutcome, inside: TargetOutcome) => [
  outside.qualifying,
  outside.leases - outside.qualifying,
  inside.qualifying,
  inside.leases - inside.qualifying,
];

/** The CIA review's breakdowns as count tables (the shares and gaps follow from the published counts). */
export function reviewTables(
  review: CiaReview,
  epciName: string,
  labels: Readonly<Record<string, string>>,
): CountTableInput[] {
  const whole = { level: 'epci', code: review.epci, label: epciName };
  const label = (key: string) => labels[key] ?? key;
  const breakdown = (
    id: ReviewDatasetId,
    title: string,
    level: string,
    rows: CiaReview['byLandlord'],
  ): CountTableInput => ({
    id,
    title,
    whole,
    wholeGroup: 'bilan-cia',
    columns: REVIEW_COLUMNS,
    units: rows.map((r) => ({
      level,
      code: r.key,
      label: label(r.key),
      parent: null,
      counts: partition(r.outsideQpv, r.insideQpv),
    })),
  });
  return [
    breakdown('bilan-cia-bailleur', `Bilan CIA ${review.year} par bailleur`, 'bailleur', review.byLandlord),
    breakdown(
      'bilan-cia-reservataire',
      `Bilan CIA ${review.year} par réservataire`,
      'reservataire',
      review.byReservationHolder,
    ),
    breakdown('bilan-cia-commune', `Bilan CIA ${review.year} par commune`, 'commune', review.byCommune),
    breakdown(
      'bilan-cia-typologie',
      `Bilan CIA ${review.year} par typologie`,
      'typologie',
      review.byTypology,
    ),
    {
      id: 'bilan-cia-prioritaires',
      title: `Publics prioritaires ${review.year} par réservataire`,
      whole,
      columns: PRIORITY_COLUMNS,
      units: review.priorityByReservationHolder.map((r) => ({
        level: 'reservataire',
        code: r.reservationHolder,
        label: label(r.reservationHolder),
        parent: null,
        counts: [r.qualifying, r.leases - r.qualifying],
      })),
    },
  ];
}
