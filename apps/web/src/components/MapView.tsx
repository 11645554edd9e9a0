import 'maplibre-gl/dist/maplibre-gl.css';
import {
  type ExpressionSpecification,
  LngLatBounds,
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import type { CommuneProperties, FeatureCollection, IrisProperties } from '../api.ts';
import type { IrisVariable } from '../pages/TerritoryPage.tsx';

setWorkerUrl(workerUrl);

/** French strings for MapLibre's controls (its default locale is English). */
const LOCALE = {
  'Map.Title': 'Carte des IRIS',
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'NavigationControl.ResetBearing': 'Réorienter vers le nord',
  'AttributionControl.ToggleAttribution': 'Afficher ou masquer les sources',
  'AttributionControl.MapFeedback': 'Signaler une erreur',
};

const WITHHELD_PATTERN = 'withheld-hatch';

/** A diagonal hatching, the map's sign for a value INSEE withholds (same as the legend swatch). */
function hatchImage(size = 8): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const onLine = (x + y) % size < 2;
      const [r, g, b] = onLine ? [122, 130, 140] : [255, 255, 255];
      data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

function fillColor(
  variable: IrisVariable,
  breaks: number[],
  colors: readonly string[],
): ExpressionSpecification {
  if (breaks.length === 0) return ['literal', colors[0]!] as unknown as ExpressionSpecification;
  // step: colours[0] up to breaks[0] included… (values equal to a break belong to the lower class).
  const stops: (number | string)[] = [];
  breaks.forEach((b, i) => {
    stops.push(b + 1e-9, colors[i + 1]!);
  });
  return [
    'step',
    ['to-number', ['get', variable]],
    colors[0]!,
    ...stops,
  ] as unknown as ExpressionSpecification;
}

function bounds(fc: FeatureCollection<unknown>): LngLatBounds {
  const box = new LngLatBounds();
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') box.extend([c[0] as number, c[1] as number]);
    else if (Array.isArray(c)) {
      for (const child of c) visit(child);
    }
  };
  for (const f of fc.features) visit((f.geometry as { coordinates: unknown }).coordinates);
  return box;
}

/** Flattens properties for MapLibre (it keeps only scalars) and marks QPV IRIS. */
function mapIris(fc: FeatureCollection<IrisProperties>) {
  return {
    type: 'FeatureCollection' as const,
    features: fc.features.map((f) => ({
      type: 'Feature' as const,
      id: Number(f.id),
      geometry: f.geometry,
      properties: {
        code: f.properties.code,
        name: f.properties.name,
        communeName: f.properties.communeName,
        povertyRate: f.properties.povertyRate,
        medianIncome: f.properties.medianIncome,
        qpv: f.properties.qpvs.length > 0,
      },
    })),
  };
}

interface Tooltip {
  x: number;
  y: number;
  text: string;
}

export default function MapView(props: {
  iris: FeatureCollection<IrisProperties>;
  communes: FeatureCollection<CommuneProperties>;
  variable: IrisVariable;
  breaks: number[];
  colors: readonly string[];
  format: (n: number) => string;
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);
  const latest = useRef(props);
  latest.current = props;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once; later changes go through the effects below
  useEffect(() => {
    const map = new MapLibreMap({
      container: container.current!,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
      },
      bounds: bounds(props.communes),
      fitBoundsOptions: { padding: 16 },
      attributionControl: { compact: true, customAttribution: 'IGN, INSEE, ANCT — Licence Ouverte' },
      locale: LOCALE,
      dragRotate: false,
      pitchWithRotate: false,
      // A choropleth needs neither fading between tiles nor antialiasing, and a pixel ratio above 2
      // only multiplies the drawing work on dense phone screens.
      fadeDuration: 0,
      canvasContextAttributes: { antialias: false },
      pixelRatio: Math.min(window.devicePixelRatio || 1, 2),
    });
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.on('load', () => {
      map.addImage(WITHHELD_PATTERN, hatchImage(), { pixelRatio: 1 });
      map.addSource('iris', { type: 'geojson', data: mapIris(props.iris) as never });
      map.addSource('communes', { type: 'geojson', data: props.communes as never });
      const { variable, breaks, colors } = latest.current;
      map.addLayer({
        id: 'iris-fill',
        type: 'fill',
        source: 'iris',
        filter: ['!=', ['get', variable], null],
        paint: { 'fill-color': fillColor(variable, breaks, colors), 'fill-opacity': 0.9 },
      });
      map.addLayer({
        id: 'iris-withheld',
        type: 'fill',
        source: 'iris',
        filter: ['==', ['get', variable], null],
        paint: { 'fill-pattern': WITHHELD_PATTERN },
      });
      map.addLayer({
        id: 'iris-line',
        type: 'line',
        source: 'iris',
        paint: { 'line-color': '#ffffff', 'line-width': 0.6 },
      });
      map.addLayer({
        id: 'commune-line',
        type: 'line',
        source: 'communes',
        paint: { 'line-color': '#3b4450', 'line-width': 1.4 },
      });
      map.addLayer({
        id: 'qpv-line',
        type: 'line',
        source: 'iris',
        filter: ['==', ['get', 'qpv'], true],
        paint: { 'line-color': '#111111', 'line-width': 2.5 },
      });
      map.addLayer({
        id: 'iris-selected',
        type: 'line',
        source: 'iris',
        filter: ['==', ['get', 'code'], ''],
        paint: { 'line-color': '#0b63ce', 'line-width': 3 },
      });
      setReady(true);
    });
    map.on('mousemove', 'iris-fill', (e) => showTooltip(e.point, e.features?.[0]?.properties));
    map.on('mousemove', 'iris-withheld', (e) => showTooltip(e.point, e.features?.[0]?.properties));
    map.on('mouseleave', 'iris-fill', () => setTooltip(null));
    map.on('mouseleave', 'iris-withheld', () => setTooltip(null));
    map.on('click', (e) => {
      const [feature] = map.queryRenderedFeatures(e.point, { layers: ['iris-fill', 'iris-withheld'] });
      if (feature) latest.current.onSelect(String(feature.properties.code));
    });
    function showTooltip(point: { x: number; y: number }, p: Record<string, unknown> | undefined) {
      if (!p) return;
      map.getCanvas().style.cursor = 'pointer';
      const { variable, format } = latest.current;
      const value = p[variable];
      const shown = value === null || value === undefined ? 'non diffusé' : format(Number(value));
      setTooltip({ x: point.x, y: point.y, text: `${p.name} (${p.communeName}) : ${shown}` });
    }
    return () => {
      map.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    map.setFilter('iris-fill', ['!=', ['get', props.variable], null]);
    map.setFilter('iris-withheld', ['==', ['get', props.variable], null]);
    map.setPaintProperty('iris-fill', 'fill-color', fillColor(props.variable, props.breaks, props.colors));
  }, [ready, props.variable, props.breaks, props.colors]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    map.setFilter('iris-selected', ['==', ['get', 'code'], props.selected ?? '']);
  }, [ready, props.selected]);

  return (
    <>
      <section
        ref={container}
        className="map"
        data-testid="map"
        data-state={ready ? 'ready' : 'loading'}
        data-communes={ready ? props.communes.features.length : 0}
        data-iris={ready ? props.iris.features.length : 0}
        aria-label="Carte des IRIS ; les mêmes données sont dans l’onglet Tableau"
      />
      {tooltip && (
        <div className="map-tooltip" style={{ left: tooltip.x + 12, top: tooltip.y + 12 }} role="status">
          {tooltip.text}
        </div>
      )}
    </>
  );
}
