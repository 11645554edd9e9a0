import { describe, expect, it } from 'vitest';
import { classLabels, classOf, quantileBreaks } from '../src/lib/classes.ts';
import { formatDate } from '../src/lib/format.ts';
import { framing, geometryPath, projectionFor } from '../src/lib/projection.ts';

describe('quantileBreaks', () => {
  it('splits values into classes of about equal size, rounded to the step', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileBreaks(values, 5, 1)).toEqual([21, 41, 60, 80]);
  });
  it('drops repeated breaks and ignores non-finite values', () => {
    expect(quantileBreaks([1, 1, 1, 1, Number.NaN, 5], 4, 1)).toEqual([1]);
    expect(quantileBreaks([], 5, 1)).toEqual([]);
  });
});

describe('classOf and classLabels', () => {
  it('puts a value equal to a break in the lower class', () => {
    expect(classOf(10, [10, 20])).toBe(0);
    expect(classOf(10.5, [10, 20])).toBe(1);
    expect(classOf(99, [10, 20])).toBe(2);
  });
  it('labels classes in French', () => {
    expect(classLabels([10, 20], (n) => `${n} €`)).toEqual([
      '10 € ou moins',
      'de 10 € à 20 €',
      'plus de 20 €',
    ]);
  });
});

describe('projectionFor and geometryPath', () => {
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [5, 45],
        [6, 45],
        [6, 46],
        [5, 46],
        [5, 45],
      ],
    ],
  };
  it('fits the extent to the width, north up, and keeps Mercator proportions', () => {
    const p = projectionFor({ features: [{ geometry: square }] }, 1000);
    expect(p.project(5, 46)).toEqual([0, 0]);
    expect(p.project(6, 45)[0]).toBe(1000);
    // At 45.5° N a degree of latitude is 1/cos(45.5°) ≈ 1.43 times a degree of longitude.
    expect(p.height / p.width).toBeCloseTo(1.426, 2);
  });
  it('frames some features with a margin around them: their box, widened on each side', () => {
    const frame = framing([{ geometry: square }, { geometry: null }], 0.1);
    const p = projectionFor(frame!, 1200);
    // 0.1° of room on each side of a 1° square: the square spans 1000 of the 1200 units.
    expect(p.project(5, 46)[0]).toBeCloseTo(100, 0);
    expect(p.project(6, 46)[0]).toBeCloseTo(1100, 0);
    expect(framing([{ geometry: null }], 0.1)).toBeNull();
  });
  it('draws every ring of a MultiPolygon as a closed path', () => {
    const p = projectionFor({ features: [{ geometry: square }] }, 100);
    const multi = { type: 'MultiPolygon', coordinates: [square.coordinates, square.coordinates] };
    expect(geometryPath(multi, p.project).match(/Z/g)).toHaveLength(2);
    expect(geometryPath(null, p.project)).toBe('');
  });
});

describe('formatDate', () => {
  it('writes a day as dd/mm/yyyy, the same day whatever the time zone', () => {
    expect(formatDate('2024-06-30')).toBe('30/06/2024');
    expect(formatDate('2024-01-01')).toBe('01/01/2024');
    expect(formatDate('2024-06-30T10:00:00.000Z')).toBe('30/06/2024');
  });
});
