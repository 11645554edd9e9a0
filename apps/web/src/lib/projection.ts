/**
 * Web Mercator projection of GeoJSON to SVG coordinates, fitted to a collection's extent. Pure
 * functions (tested in apps/web/test). Precision: one decimal of the viewBox unit, far below the
 * ≈13 m precision of the simplified IRIS contours.
 */
type Position = [number, number];

export interface Projection {
  width: number;
  height: number;
  project: (lon: number, lat: number) => Position;
}

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

function eachPosition(coordinates: unknown, visit: (lon: number, lat: number) => void): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === 'number') {
    visit(coordinates[0] as number, coordinates[1] as number);
    return;
  }
  for (const c of coordinates) eachPosition(c, visit);
}

/** A projection mapping the extent of `collection` onto a `width`-wide box (height follows). */
export function projectionFor(collection: { features: { geometry: unknown }[] }, width: number): Projection {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const f of collection.features) {
    eachPosition((f.geometry as { coordinates?: unknown } | null)?.coordinates, (lon, lat) => {
      const x = (lon * Math.PI) / 180;
      const y = mercatorY(lat);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    });
  }
  if (!Number.isFinite(minX)) throw new Error('aucune coordonnée à projeter');
  const scale = width / (maxX - minX || 1);
  const height = Math.ceil((maxY - minY) * scale);
  return {
    width,
    height,
    project: (lon, lat) => [
      Math.round(((lon * Math.PI) / 180 - minX) * scale * 10) / 10,
      Math.round((maxY - mercatorY(lat)) * scale * 10) / 10,
    ],
  };
}

/**
 * The longitude–latitude box around `features`, widened by `margin` of its size on each side, as a
 * collection to fit a projection to (a map framed on some features, with room around them). Null
 * when the features have no coordinates.
 */
export function framing(
  features: readonly { geometry: unknown }[],
  margin: number,
): { features: { geometry: unknown }[] } | null {
  let minLon = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const f of features) {
    eachPosition((f.geometry as { coordinates?: unknown } | null)?.coordinates, (lon, lat) => {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    });
  }
  if (!Number.isFinite(minLon)) return null;
  const dLon = (maxLon - minLon) * margin;
  const dLat = (maxLat - minLat) * margin;
  const [w, e, s, n] = [minLon - dLon, maxLon + dLon, minLat - dLat, maxLat + dLat];
  const box = [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
  return { features: [{ geometry: { type: 'Polygon', coordinates: [box] } }] };
}

/** SVG path data of a Polygon or MultiPolygon (each ring closed). */
export function geometryPath(geometry: unknown, project: Projection['project']): string {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (!g?.coordinates) return '';
  const polygons = (g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates]) as number[][][][];
  let d = '';
  for (const polygon of polygons) {
    for (const ring of polygon) {
      ring.forEach(([lon, lat], i) => {
        const [x, y] = project(lon!, lat!);
        d += `${i === 0 ? 'M' : 'L'}${x} ${y}`;
      });
      d += 'Z';
    }
  }
  return d;
}
