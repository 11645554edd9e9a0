import { useId } from 'react';
import { csvHref, formatIndex, formatShare } from './observatory-lib.ts';
import type { DecompositionTerm } from './types.ts';

/** Colours of the levels, outermost first; each reaches 3:1 against white (WCAG 1.4.11). */
const LEVEL_COLOURS = ['#1f3a5f', '#a8431a', '#1c6e64'];

/**
 * The nested decomposition of M as horizontal bars, one per level, drawn in SVG with a title and a
 * description (role="img"), and the same figures in the table beside it.
 */
export function DecompositionChart({
  terms,
  total,
  csvPath,
}: {
  terms: DecompositionTerm[];
  total: number;
  csvPath: string;
}) {
  const id = useId();
  const width = 640;
  const rowHeight = 56;
  const labelHeight = 20;
  const barHeight = 22;
  const height = terms.length * rowHeight + 8;
  const max = Math.max(total, ...terms.map((t) => t.M)) || 1;
  const barSpace = width - 150;
  const description = terms
    .map((t) => `${t.label} : M = ${formatIndex(t.M)}, soit ${formatShare(t.share)} de M`)
    .join(' ; ');
  return (
    <figure className="obs-figure" data-testid="decomposition">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        className="obs-chart"
      >
        <title id={`${id}-title`}>Décomposition de M par niveau</title>
        <desc id={`${id}-desc`}>{`${description}. Total : M = ${formatIndex(total)}.`}</desc>
        {terms.map((t, i) => {
          const y = i * rowHeight + 4;
          const w = Math.max(1, (t.M / max) * barSpace);
          return (
            <g key={t.level}>
              <text x={0} y={y + 14} className="obs-chart-label">
                {t.label}
              </text>
              <rect
                x={0}
                y={y + labelHeight}
                width={w}
                height={barHeight}
                fill={LEVEL_COLOURS[i % LEVEL_COLOURS.length]}
              />
              <text x={w + 8} y={y + labelHeight + 16} className="obs-chart-value">
                {formatIndex(t.M)} ({formatShare(t.share)})
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        Chaque barre est la part de M due à un niveau ; leur somme est M = {formatIndex(total)}.{' '}
        <a href={csvHref(csvPath)} download data-testid="csv-decomposition">
          Télécharger la décomposition (CSV)
        </a>
      </figcaption>
      <table className="obs-compact">
        <caption className="sr-only">Décomposition de M et H par niveau</caption>
        <thead>
          <tr>
            <th scope="col">Niveau</th>
            <th scope="col" className="num">
              M
            </th>
            <th scope="col" className="num">
              H
            </th>
            <th scope="col" className="num">
              Part de M
            </th>
          </tr>
        </thead>
        <tbody>
          {terms.map((t) => (
            <tr key={t.level}>
              <th scope="row">{t.label}</th>
              <td className="num">{formatIndex(t.M)}</td>
              <td className="num">{formatShare(t.H)}</td>
              <td className="num">{formatShare(t.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
