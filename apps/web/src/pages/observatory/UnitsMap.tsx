import 'maplibre-gl/dist/maplibre-gl.css';
import {
  type ExpressionSpecification,
  type GeoJSONSource,
  LngLatBounds,
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { type FeatureCollection, getJson } from '../../api.ts';
import type { MixScale, MixUnit } from './types.ts';

setWorkerUrl(workerUrl);

/**
 * Map of the units of the observatory (loaded lazily: MapLibre is imported only when the map tab is
 * shown). Communes and IRIS are coloured from the polygons the API serves; residences are points.
 * Units not published (secret statistique) are hatched. The same values are in the units table.
 */
const LOCALE = {
  'Map.Title': 'Carte des unités',
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'NavigationControl.ResetBearing': 'Réorienter vers le nord',
  'AttributionControl.ToggleAttribution': 'Afficher ou masquer les sources',
  'AttributionControl.MapFeedback': 'Signaler une erreur',
};
const HATCH = 'obs-withheld-hatch';

function hatchImage(size = 8): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b] = (x + y) % size < 2 ? [122, 130, 140] : [255, 255, 255];
      data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

function colourExpression(breaks: readonly number[], colours: readonly string[]): ExpressionSpecification {
  const stops: (number | string)[] = [];
  breaks.forEach((b, i) => {
    stops.push(b + 1e-12, colours[i + 1]!);
  });
  return [
    'step',
    ['to-number', ['get', 'value']],
    colours[0]!,
    ...stops,
  ] as unknown as ExpressionSpecification;
}

interface Geometries {
  areas: FeatureCollection<{ code: string; name: string }>;
  communes: FeatureCollection<{ code: string; name: string }>;
}

/** The features to draw: areas with their value (null: not published), or residence points. */
function unitFeatures(
  scale: MixScale,
  geometries: Geometries,
  units: readonly MixUnit[],
  value: (u: MixUnit) => number | null,
) {
  const byCode = new Map(units.map((u) => [u.code, u]));
  if (scale === 'residence') {
    return {
      type: 'FeatureCollection' as const,
      features: units
        .filter((u) => u.point)
        .map((u, i) => ({
          type: 'Feature' as const,
          id: i,
          geometry: { type: 'Point' as const, coordinates: [u.point!.longitude, u.point!.latitude] },
          properties: { code: u.code, name: u.name, value: value(u), total: u.total },
        })),
    };
  }
  return {
    type: 'FeatureCollection' as const,
    features: geometries.areas.features.map((f, i) => {
      const unit = byCode.get(f.properties.code);
      return {
        type: 'Feature' as const,
        id: i,
        geometry: f.geometry,
        properties: {
          code: f.properties.code,
          name: f.properties.name,
          value: unit ? value(unit) : null,
          total: unit?.total ?? null,
        },
      };
    }),
  };
}

export default function UnitsMap(props: {
  epci: string;
  scale: MixScale;
  units: readonly MixUnit[];
  value: (u: MixUnit) => number | null;
  format: (n: number) => string;
  breaks: readonly number[];
  colours: readonly string[];
  measureLabel: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [geometries, setGeometries] = useState<Geometries | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [tooltip, setTooltip] = useState<{ x: number; y: number; text: string } | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const areaPath = props.scale === 'commune' ? 'communes' : 'iris';

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      getJson<Geometries['areas']>(`/territories/${props.epci}/${areaPath}`, controller.signal),
      getJson<Geometries['communes']>(`/territories/${props.epci}/communes`, controller.signal),
    ])
      .then(([areas, communes]) => setGeometries({ areas, communes }))
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => controller.abort();
  }, [props.epci, areaPath]);

  useEffect(() => {
    if (!geometries || !container.current) return;
    const box = new LngLatBounds();
    const visit = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === 'number') box.extend([c[0] as number, c[1] as number]);
      else if (Array.isArray(c)) for (const child of c) visit(child);
    };
    for (const f of geometries.communes.features) visit((f.geometry as { coordinates: unknown }).coordinates);
    const map = new MapLibreMap({
      container: container.current,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
      },
      bounds: box,
      fitBoundsOptions: { padding: 16 },
      attributionControl: {
        compact: true,
        customAttribution: 'IGN, INSEE, ANCT — Licence Ouverte ; ménages générés',
      },
      locale: LOCALE,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
      canvasContextAttributes: { antialias: false },
      pixelRatio: Math.min(window.devicePixelRatio || 1, 2),
    });
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.on('load', () => {
      const { scale, units, value, breaks, colours } = latest.current;
      map.addImage(HATCH, hatchImage(), { pixelRatio: 1 });
      map.addSource('units', {
        type: 'geojson',
        data: unitFeatures(scale, geometries, units, value) as never,
      });
      map.addSource('communes', { type: 'geojson', data: geometries.communes as never });
      if (scale === 'residence') {
        map.addLayer({
          id: 'commune-fill',
          type: 'fill',
          source: 'communes',
          paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.6 },
        });
        // A secret value: a white dot ringed in grey (« secret » in the tooltip and the table).
        map.addLayer({
          id: 'units-withheld',
          type: 'circle',
          source: 'units',
          filter: ['==', ['get', 'value'], null],
          paint: {
            'circle-color': '#ffffff',
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 3, 14, 8],
            'circle-stroke-color': '#595959',
            'circle-stroke-width': 1.2,
          },
        });
        map.addLayer({
          id: 'units-fill',
          type: 'circle',
          source: 'units',
          filter: ['!=', ['get', 'value'], null],
          paint: {
            'circle-color': colourExpression(breaks, colours),
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 3, 14, 8],
            'circle-stroke-color': '#3b4450',
            'circle-stroke-width': 0.8,
          },
        });
      } else {
        map.addLayer({
          id: 'units-fill',
          type: 'fill',
          source: 'units',
          filter: ['!=', ['get', 'value'], null],
          paint: { 'fill-color': colourExpression(breaks, colours), 'fill-opacity': 0.9 },
        });
        map.addLayer({
          id: 'units-withheld',
          type: 'fill',
          source: 'units',
          filter: ['==', ['get', 'value'], null],
          paint: { 'fill-pattern': HATCH },
        });
        map.addLayer({
          id: 'units-line',
          type: 'line',
          source: 'units',
          paint: { 'line-color': '#ffffff', 'line-width': 0.6 },
        });
      }
      map.addLayer({
        id: 'commune-line',
        type: 'line',
        source: 'communes',
        paint: { 'line-color': '#3b4450', 'line-width': 1.2 },
      });
      setReady(true);
    });
    const show = (e: {
      point: { x: number; y: number };
      features?: { properties: Record<string, unknown> }[];
    }) => {
      const p = e.features?.[0]?.properties;
      if (!p) return;
      map.getCanvas().style.cursor = 'pointer';
      const v = p.value;
      const total = p.total === null || p.total === undefined || p.total === 'null' ? null : p.total;
      const shown =
        v === null || v === undefined || v === 'null'
          ? total === null
            ? 'non diffusé (secret statistique)'
            : `secret (secret statistique, ${total} ménages)`
          : `${latest.current.format(Number(v))} (${total} ménages)`;
      setTooltip({ x: e.point.x, y: e.point.y, text: `${p.name} : ${shown}` });
    };
    for (const layer of ['units-fill', 'units-withheld']) {
      map.on('mousemove', layer, show);
      map.on('mouseleave', layer, () => setTooltip(null));
    }
    return () => {
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, [geometries]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || !geometries) return;
    (map.getSource('units') as GeoJSONSource | undefined)?.setData(
      unitFeatures(props.scale, geometries, props.units, props.value) as never,
    );
    map.setPaintProperty(
      'units-fill',
      props.scale === 'residence' ? 'circle-color' : 'fill-color',
      colourExpression(props.breaks, props.colours),
    );
  }, [ready, geometries, props.scale, props.units, props.value, props.breaks, props.colours]);

  if (error) {
    return (
      <p className="error" role="alert">
        Les contours n’ont pas pu être chargés : {error}
      </p>
    );
  }
  return (
    <>
      <section
        ref={container}
        className="map"
        data-testid="obs-map"
        data-state={ready ? 'ready' : 'loading'}
        aria-label={`Carte : ${props.measureLabel.toLowerCase()} par unité ; les mêmes valeurs sont dans l’onglet Tableau`}
      />
      {tooltip && (
        <div className="map-tooltip" style={{ left: tooltip.x + 12, top: tooltip.y + 12 }} role="status">
          {tooltip.text}
        </div>
      )}
    </>
  );
}
