import type { TargetOutcome } from '@mosaique/domain/review';
import { formatInteger } from '../../lib/format.ts';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1).replace('.', ',')} %`);

/**
 * Horizontal bars of the share achieved, with the target as a vertical mark, and the gap in
 * households written out. The SVG is an image with a text alternative; the same figures are in the
 * table below it (for screen readers and printing).
 */
export function TargetChart({
  label,
  rows,
}: {
  label: string;
  rows: { name: string; outcome: TargetOutcome }[];
}) {
  const width = 640;
  const labelWidth = 240;
  const barWidth = width - labelWidth - 20;
  const rowHeight = 34;
  const x = (share: number) => labelWidth + share * barWidth;
  return (
    <figure className="target-chart">
      <svg
        viewBox={`0 0 ${width} ${rows.length * rowHeight + 24}`}
        role="img"
        aria-label={`${label} (détail dans le tableau qui suit)`}
      >
        {rows.map((r, i) => {
          const y = i * rowHeight + 4;
          const share = r.outcome.share ?? 0;
          return (
            <g key={r.name}>
              <text x={labelWidth - 8} y={y + 17} textAnchor="end" fontSize="13" fill="#1b1f24">
                {r.name.length > 34 ? `${r.name.slice(0, 33)}…` : r.name}
              </text>
              <rect x={labelWidth} y={y + 4} width={barWidth} height={18} fill="#f3f5f7" />
              <rect
                x={labelWidth}
                y={y + 4}
                width={Math.max(0, share * barWidth)}
                height={18}
                fill={r.outcome.met ? '#2f7d6d' : '#a8431a'}
              />
              <line
                x1={x(r.outcome.target)}
                x2={x(r.outcome.target)}
                y1={y}
                y2={y + 26}
                stroke="#1b1f24"
                strokeWidth={2}
              />
            </g>
          );
        })}
        <text x={labelWidth} y={rows.length * rowHeight + 18} fontSize="12" fill="#4a5360">
          barre : part atteinte (vert : objectif atteint, brique : non atteint) ; trait noir : objectif
        </text>
      </svg>
      <div className="table-wrap">
        <table>
          <caption>{label}</caption>
          <thead>
            <tr>
              <th scope="col">Objectif</th>
              <th scope="col" className="num">
                Baux
              </th>
              <th scope="col" className="num">
                Ménages concernés
              </th>
              <th scope="col" className="num">
                Part atteinte
              </th>
              <th scope="col" className="num">
                Objectif
              </th>
              <th scope="col" className="num">
                Écart en ménages
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td className="num">{formatInteger(r.outcome.leases)}</td>
                <td className="num">{formatInteger(r.outcome.qualifying)}</td>
                <td className="num">{pct(r.outcome.share)}</td>
                <td className="num">{pct(r.outcome.target)}</td>
                <td className="num">
                  {r.outcome.missingHouseholds > 0
                    ? `${formatInteger(r.outcome.missingHouseholds)} manquants`
                    : 'atteint'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
