/** Random points inside an IRIS polygon (WGS84), for the coordinates of generated residences. */
import type { Random } from '../shared/random.ts';
import type { Geometry } from '../territory/types.ts';

type Ring = number[][];

function polygonsOf(geometry: Geometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Even–odd rule over every ring (holes included). */
export function geometryContains(geometry: Geometry, x: number, y: number): boolean {
  let inside = false;
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const xi = ring[i]![0]!;
        const yi = ring[i]![1]!;
        const xj = ring[j]![0]!;
        const yj = ring[j]![1]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** A sampler of uniform points inside the geometry: rejection in its bounding box. */
export function pointSampler(geometry: Geometry): (random: Random) => [number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygonsOf(geometry)) {
    for (const [x, y] of polygon[0]!) {
      minX = Math.min(minX, x!);
      maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!);
      maxY = Math.max(maxY, y!);
    }
  }
  const outer = polygonsOf(geometry)[0]![0]!;
  return (random) => {
    for (let attempt = 0; attempt < 2_000; attempt++) {
      const x = minX + random.next() * (maxX - minX);
      const y = minY + random.next() * (maxY - minY);
      if (geometryContains(geometry, x, y)) return [x, y];
    }
    // Degenerate sliver (a simplification artefact): the centroid of three vertices of the outer ring.
    const a = outer[0]!;
    const b = outer[Math.floor(outer.length / 3)]!;
    const c = outer[Math.floor((2 * outer.length) / 3)]!;
    return [(a[0]! + b[0]! + c[0]!) / 3, (a[1]! + b[1]! + c[1]!) / 3];
  };
}
