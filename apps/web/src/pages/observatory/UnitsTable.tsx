import { useMemo, useState } from 'react';
import {
  formatCount,
  formatIndex,
  formatRatio,
  formatShare,
  SECRET_TEXT,
  type SortDirection,
  sortUnits,
  type UnitSortKey,
} from './observatory-lib.ts';
import type { UnitsAnswer } from './types.ts';

const PAGE = 100;

/** A published number, or « secret » (text, for every reader) when statistical secrecy covers it. */
function Figure({
  value,
  secret,
  format,
}: {
  value: number | null;
  secret: boolean;
  format: (n: number) => string;
}) {
  if (secret) return <span className="obs-secret">{SECRET_TEXT}</span>;
  return <>{value === null ? '—' : format(value)}</>;
}

/**
 * The units of the scale, sortable by any column (buttons in the column headers, aria-sort on the
 * sorted one), the first hundred shown until the user asks for all.
 */
export function UnitsTable({ answer, group }: { answer: UnitsAnswer; group: number }) {
  const [sort, setSort] = useState<{ key: UnitSortKey; direction: SortDirection }>({
    key: 'localScore',
    direction: 'descending',
  });
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(
    () => sortUnits(answer.units, sort.key, sort.direction, group),
    [answer.units, sort, group],
  );
  const rows = showAll ? sorted : sorted.slice(0, PAGE);
  const groupLabel = answer.groups[group]?.label ?? '';
  const withCommune = answer.scale.code === 'iris' || answer.scale.code === 'residence';
  const header = (key: UnitSortKey, label: string, numeric = true) => {
    const active = sort.key === key;
    const next: SortDirection = active && sort.direction === 'descending' ? 'ascending' : 'descending';
    return (
      <th scope="col" className={numeric ? 'num' : undefined} aria-sort={active ? sort.direction : undefined}>
        <button
          type="button"
          className="obs-sort"
          onClick={() => setSort({ key, direction: active ? next : numeric ? 'descending' : 'ascending' })}
        >
          {label}
          <span aria-hidden="true" className="obs-sort-mark">
            {active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}
          </span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-wrap">
      <table data-testid="units-table">
        <caption>
          {answer.scale.label} : {formatCount(answer.units.length)} unités diffusées ; cliquez sur un en-tête
          de colonne pour trier.{' '}
          {answer.withheld > 0 &&
            `${formatCount(answer.withheld)} unité(s) ne sont pas diffusées (secret statistique : moins de ${answer.secrecyThreshold} ménages, ou secret secondaire). `}
          « {SECRET_TEXT} » : valeur non diffusée, car elle révélerait un effectif de 1 à{' '}
          {answer.secrecyThreshold - 1} ménages.
        </caption>
        <thead>
          <tr>
            {header('name', 'Unité', false)}
            {withCommune && header('commune', 'Commune', false)}
            {header('total', 'Ménages')}
            {header('localScore', 'Score local')}
            {header('contribution', 'Part de M')}
            {header('share', `Part « ${groupLabel} »`)}
            {header('quotient', `Quotient de localisation « ${groupLabel} »`)}
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr key={u.code}>
              <th scope="row">
                {u.name}
                {u.approximate && (
                  <>
                    {' '}
                    <span className="badge">approché</span>
                  </>
                )}
              </th>
              {withCommune && <td>{u.commune?.name ?? ''}</td>}
              <td className="num">{formatCount(u.total)}</td>
              <td className="num">
                <Figure value={u.localScore} secret={u.localScoreSecret} format={formatIndex} />
              </td>
              <td className="num">
                <Figure value={u.contribution} secret={u.localScoreSecret} format={formatShare} />
              </td>
              <td className="num">
                <Figure
                  value={u.shares[group] ?? null}
                  secret={u.sharesSecret[group] ?? false}
                  format={formatShare}
                />
              </td>
              <td className="num">
                <Figure
                  value={u.locationQuotients[group] ?? null}
                  secret={u.locationQuotientsSecret[group] ?? false}
                  format={formatRatio}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > PAGE && (
        <p>
          <button type="button" className="obs-button" onClick={() => setShowAll(!showAll)}>
            {showAll
              ? `N’afficher que les ${PAGE} premières unités`
              : `Afficher les ${formatCount(sorted.length)} unités`}
          </button>
        </p>
      )}
    </div>
  );
}
