import { useEffect, useId, useMemo, useState } from 'react';
import { csvHref, formatCount, formatIps, formatShare, niceTicks } from './observatory-lib.ts';
import type { SchoolItem, SchoolSegregationAnswer, SchoolSegregationRow, SchoolsAnswer } from './types.ts';
import { useJson } from './use-json.ts';

type Level = 'college' | 'ecole';
const LEVEL_LABELS: Record<Level, string> = { college: 'Collèges', ecole: 'Écoles' };

interface Dot {
  school: SchoolItem;
  ips: number;
  pupils: number | null;
}

/**
 * IPS of the schools of a level and school year, one row per commune and one mark per school
 * (circle: public, square: private), in SVG with a title and a description; the figures are in the
 * table below the chart and in the CSV.
 */
function IpsChart({ dots, level, year }: { dots: Dot[]; level: Level; year: string }) {
  const id = useId();
  const byCommune = new Map<string, Dot[]>();
  for (const d of dots)
    byCommune.set(d.school.communeName, [...(byCommune.get(d.school.communeName) ?? []), d]);
  const rows = [...byCommune]
    .map(([commune, list]) => ({ commune, list, mean: list.reduce((s, d) => s + d.ips, 0) / list.length }))
    .sort((a, b) => a.mean - b.mean);
  const min = Math.min(...dots.map((d) => d.ips));
  const max = Math.max(...dots.map((d) => d.ips));
  const ticks = niceTicks(min, max, 6);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const width = 760;
  const left = 200;
  const right = 20;
  const rowHeight = 22;
  const top = 28;
  const height = top + rows.length * rowHeight + 10;
  const x = (v: number) => left + ((v - lo) / (hi - lo || 1)) * (width - left - right);
  const lowest = rows[0];
  const highest = rows[rows.length - 1];
  const description =
    `${dots.length} ${LEVEL_LABELS[level].toLowerCase()} dans ${rows.length} communes, IPS de ${formatIps(min)} à ${formatIps(max)}.` +
    (lowest && highest
      ? ` IPS moyen le plus bas : ${lowest.commune} (${formatIps(lowest.mean)}) ; le plus haut : ${highest.commune} (${formatIps(highest.mean)}).`
      : '');
  return (
    <figure className="obs-figure" data-testid="ips-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        className="obs-chart"
      >
        <title id={`${id}-t`}>{`IPS des ${LEVEL_LABELS[level].toLowerCase()} par commune, ${year}`}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top - 6} y2={height - 6} className="obs-grid" />
            <text x={x(t)} y={14} textAnchor="middle" className="obs-chart-value">
              {formatIps(t).replace(/,0$/, '')}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const y = top + i * rowHeight + rowHeight / 2;
          return (
            <g key={row.commune}>
              <text x={left - 8} y={y + 4} textAnchor="end" className="obs-chart-label">
                {row.commune}
              </text>
              <line x1={left} x2={width - right} y1={y} y2={y} className="obs-row-line" />
              {row.list.map((d) =>
                d.school.sector === 'public' ? (
                  <circle key={d.school.uai} cx={x(d.ips)} cy={y} r={5} className="obs-dot obs-dot-public">
                    <title>{`${d.school.name} : IPS ${formatIps(d.ips)}`}</title>
                  </circle>
                ) : (
                  <rect
                    key={d.school.uai}
                    x={x(d.ips) - 4.5}
                    y={y - 4.5}
                    width={9}
                    height={9}
                    className="obs-dot obs-dot-private"
                  >
                    <title>{`${d.school.name} (privé) : IPS ${formatIps(d.ips)}`}</title>
                  </rect>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        Indice de position sociale (IPS, DEPP) de chaque établissement ; communes classées par IPS moyen.{' '}
        <span className="obs-key">
          <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12">
            <circle cx="6" cy="6" r="5" className="obs-dot obs-dot-public" />
          </svg>{' '}
          public
        </span>{' '}
        <span className="obs-key">
          <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12">
            <rect x="1.5" y="1.5" width="9" height="9" className="obs-dot obs-dot-private" />
          </svg>{' '}
          privé
        </span>
      </figcaption>
    </figure>
  );
}

function SegregationTable({ rows, level }: { rows: SchoolSegregationRow[]; level: Level }) {
  return (
    <div className="table-wrap">
      <table data-testid="eta2-table">
        <caption>
          Ségrégation entre {LEVEL_LABELS[level].toLowerCase()} par commune : η² est la part de la variance
          des IPS des élèves qui sépare les établissements
          {level === 'ecole' ? ' (non calculable pour les écoles)' : ''}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Commune</th>
            <th scope="col" className="num">
              Établissements
            </th>
            <th scope="col" className="num">
              Élèves
            </th>
            <th scope="col" className="num">
              IPS moyen
            </th>
            <th scope="col" className="num">
              Dispersion des IPS (écart-type)
            </th>
            <th scope="col" className="num">
              η²
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.commune ?? 'epci'}>
              <th scope="row">{r.communeName}</th>
              <td className="num">{r.schools}</td>
              <td className="num">{r.pupils === null ? 'non publié' : formatCount(r.pupils)}</td>
              <td className="num">{formatIps(r.meanIps)}</td>
              <td className="num">{r.schools > 1 ? formatIps(r.ipsSpread) : '—'}</td>
              <td className="num">
                {r.eta2 !== null
                  ? formatShare(r.eta2)
                  : r.pupils === null
                    ? 'non calculable'
                    : 'un seul établissement'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The schools tab: IPS by school on a chart, η² per commune and school year, downloads. */
export function SchoolsPanel({ epci }: { epci: string }) {
  const schools = useJson<SchoolsAnswer>(`/territories/${epci}/observatory/schools`);
  const segregation = useJson<SchoolSegregationAnswer>(
    `/territories/${epci}/observatory/schools/segregation`,
  );
  const [level, setLevel] = useState<Level>('college');
  const [year, setYear] = useState<string | null>(null);

  const yearsOf = useMemo(() => {
    const years = (l: Level) =>
      [
        ...new Set(
          (schools.data?.schools ?? [])
            .filter((s) => s.level === l)
            .flatMap((s) => s.years.filter((y) => y.ips !== null).map((y) => y.schoolYear)),
        ),
      ]
        .sort()
        .reverse();
    return { college: years('college'), ecole: years('ecole') };
  }, [schools.data]);
  const years = yearsOf[level];
  useEffect(() => {
    if (years.length && (year === null || !years.includes(year))) setYear(years[0]!);
  }, [years, year]);

  if (schools.error || segregation.error) {
    return (
      <p className="error" role="alert">
        Les données scolaires n’ont pas pu être chargées : {schools.error ?? segregation.error}
      </p>
    );
  }
  if (!schools.data || !segregation.data || year === null) return <p>Chargement des établissements…</p>;

  const dots: Dot[] = schools.data.schools
    .filter((s) => s.level === level)
    .flatMap((school) => {
      const y = school.years.find((v) => v.schoolYear === year);
      return y && y.ips !== null ? [{ school, ips: y.ips, pupils: y.pupils }] : [];
    });
  const rows = segregation.data.rows.filter((r) => r.level === level && r.schoolYear === year);
  return (
    <>
      <form className="controls" aria-label="Établissements représentés" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Niveau</legend>
          {(['college', 'ecole'] as const).map((l) => (
            <label className="radio" key={l}>
              <input type="radio" name="obs-level" checked={level === l} onChange={() => setLevel(l)} />
              {LEVEL_LABELS[l]}
            </label>
          ))}
        </fieldset>
        <p>
          <label htmlFor="obs-school-year">Année scolaire</label>{' '}
          <select
            id="obs-school-year"
            className="obs-select"
            value={year}
            onChange={(e) => setYear(e.target.value)}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </p>
      </form>
      <p className="obs-note" data-testid="schools-note">
        {level === 'college'
          ? 'Pour les collèges, le Ministère publie l’effectif et l’écart-type des IPS des élèves : η² mesure la part de la variance des IPS des élèves qui sépare les collèges (0 : chaque collège reflète l’ensemble ; 1 : les collèges ne se mélangent pas).'
          : 'Pour les écoles, ni l’effectif ni l’écart-type des IPS ne sont publiés : η² ne peut pas être calculé ; seule la dispersion des IPS moyens des écoles est donnée.'}
      </p>
      <h2>
        IPS des {LEVEL_LABELS[level].toLowerCase()}, {year}
      </h2>
      <IpsChart dots={dots} level={level} year={year} />
      <details>
        <summary>Données du graphique ({dots.length} établissements)</summary>
        <div className="table-wrap">
          <table>
            <caption className="sr-only">IPS par établissement, {year}</caption>
            <thead>
              <tr>
                <th scope="col">Établissement</th>
                <th scope="col">Commune</th>
                <th scope="col">Secteur</th>
                <th scope="col" className="num">
                  Élèves
                </th>
                <th scope="col" className="num">
                  IPS
                </th>
              </tr>
            </thead>
            <tbody>
              {dots
                .toSorted((a, b) => a.ips - b.ips)
                .map((d) => (
                  <tr key={d.school.uai}>
                    <th scope="row">{d.school.name}</th>
                    <td>{d.school.communeName}</td>
                    <td>{d.school.sector === 'public' ? 'public' : 'privé'}</td>
                    <td className="num">{d.pupils === null ? 'non publié' : formatCount(d.pupils)}</td>
                    <td className="num">{formatIps(d.ips)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
      <p>
        <a
          href={csvHref(`/territories/${epci}/observatory/schools?format=csv`)}
          download
          data-testid="csv-schools"
        >
          Télécharger l’IPS des établissements (CSV)
        </a>
      </p>
      <h2>Ségrégation entre établissements : η² par commune, {year}</h2>
      <SegregationTable rows={rows} level={level} />
      <p>
        <a
          href={csvHref(`/territories/${epci}/observatory/schools/segregation?format=csv`)}
          download
          data-testid="csv-eta2"
        >
          Télécharger η² par commune et année scolaire (CSV)
        </a>
      </p>
    </>
  );
}
