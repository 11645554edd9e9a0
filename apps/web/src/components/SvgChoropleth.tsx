import { memo, useMemo } from 'react';
import type { CommuneProperties, FeatureCollection, IrisProperties } from '../api.ts';
import { classOf } from '../lib/classes.ts';
import { geometryPath, projectionFor } from '../lib/projection.ts';

/**
 * The territory drawn as SVG: cheap to render on any device (no WebGL), printable, and a light first
 * view of the map page; the interactive MapLibre map is loaded only when the user asks for it.
 * Each IRIS has a native tooltip (<title>); the same values are in the table view.
 */
export const SvgChoropleth = memo(function SvgChoropleth(props: {
  iris: FeatureCollection<IrisProperties>;
  communes: FeatureCollection<CommuneProperties>;
  value: (p: IrisProperties) => number | null;
  breaks: number[];
  colors: readonly string[];
  format: (n: number) => string;
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const { iris, communes } = props;
  const projection = useMemo(() => projectionFor(communes, 1000), [communes]);
  const irisPaths = useMemo(
    () =>
      iris.features.map((f) => ({ props: f.properties, d: geometryPath(f.geometry, projection.project) })),
    [iris, projection],
  );
  const communePaths = useMemo(
    () =>
      communes.features.map((f) => ({
        code: f.properties.code,
        d: geometryPath(f.geometry, projection.project),
      })),
    [communes, projection],
  );
  const selectFrom = (target: EventTarget) => {
    const code = (target as Element).getAttribute?.('data-iris');
    if (code) props.onSelect(code);
  };
  return (
    <svg
      className="svg-map"
      viewBox={`0 0 ${projection.width} ${projection.height}`}
      role="img"
      aria-label="Carte des IRIS (aperçu) ; les mêmes données sont dans l’onglet Tableau"
      data-testid="svg-map"
      data-communes={communePaths.length}
      data-iris={irisPaths.length}
    >
      <defs>
        <pattern
          id="withheld-hatch"
          width="8"
          height="8"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="8" height="8" fill="#ffffff" />
          <rect width="2.5" height="8" fill="#7a828c" />
        </pattern>
      </defs>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut (one delegated handler); keyboard users have the table view with the same values */}
      <g onClick={(event) => selectFrom(event.target)}>
        {irisPaths.map(({ props: p, d }) => {
          const v = props.value(p);
          const label = `${p.name} (${p.communeName}) : ${v === null ? 'non diffusé' : props.format(v)}`;
          return (
            <path
              key={p.code}
              d={d}
              data-iris={p.code}
              fill={v === null ? 'url(#withheld-hatch)' : props.colors[classOf(v, props.breaks)]}
              stroke="#ffffff"
              strokeWidth={0.8}
            >
              <title>{label}</title>
            </path>
          );
        })}
      </g>
      <g fill="none" stroke="#3b4450" strokeWidth={1.4} pointerEvents="none">
        {communePaths.map(({ code, d }) => (
          <path key={code} d={d} data-commune={code} />
        ))}
      </g>
      <g fill="none" stroke="#111111" strokeWidth={3} pointerEvents="none">
        {irisPaths
          .filter(({ props: p }) => p.qpvs.length > 0)
          .map(({ props: p, d }) => (
            <path key={p.code} d={d} />
          ))}
      </g>
      {props.selected && (
        <path
          d={irisPaths.find((i) => i.props.code === props.selected)?.d ?? ''}
          fill="none"
          stroke="#0b63ce"
          strokeWidth={3.5}
          pointerEvents="none"
        />
      )}
    </svg>
  );
});
