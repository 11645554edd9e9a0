import { describe, expect, it } from 'vitest';
import {
  advertEditable,
  advertQuery,
  advertsByCommune,
  advertsByPlace,
  cycleFormProblems,
  descriptionProblem,
  EMPTY_FILTERS,
  filtersFromQuery,
  floorText,
  markerOffsets,
  photoFileProblem,
  rankText,
  rentProblem,
  ringCentroid,
} from '../src/pages/letting/letting-lib.ts';
import type { Advert } from '../src/pages/letting/types.ts';

describe('advert filters', () => {
  it('are empty by default, and an applicant sees only eligible homes', () => {
    expect(advertQuery(EMPTY_FILTERS)).toBe('');
  });
  it('build the query of GET /adverts and read it back', () => {
    const filters = {
      communes: ['38185', '2A004'],
      typologies: [3, 2],
      maxTotalRentEur: '650,5',
      accessible: true,
      floor: '2',
      includeIneligible: true,
    };
    const query = advertQuery(filters);
    const q = new URLSearchParams(query);
    expect(q.get('communes')).toBe('38185,2A004');
    expect(q.get('typologies')).toBe('2,3');
    expect(q.get('maxTotalRentEur')).toBe('650.5');
    expect(q.get('accessible')).toBe('true');
    expect(q.get('maxFloorWithoutLift')).toBe('2');
    expect(q.get('lift')).toBeNull();
    expect(q.get('eligibleOnly')).toBe('false');
    expect(filtersFromQuery(query)).toEqual({ ...filters, typologies: [2, 3], maxTotalRentEur: '650.5' });
  });
  it('ask for a lift, and drop what the API would refuse', () => {
    expect(advertQuery({ ...EMPTY_FILTERS, floor: 'lift', maxTotalRentEur: 'abc' })).toBe('lift=true');
    expect(filtersFromQuery('communes=38185,xx&typologies=2,9&lift=true')).toMatchObject({
      communes: ['38185'],
      typologies: [2],
      floor: 'lift',
    });
    expect(rentProblem('abc')).toMatch(/montant/);
    expect(rentProblem('-1')).toMatch(/montant/);
    expect(rentProblem(' 600 ')).toBeNull();
    expect(rentProblem('')).toBeNull();
  });
});

describe('texts', () => {
  it('say the floor, the lift and the rank in French', () => {
    expect(floorText(0, false)).toBe('rez-de-chaussée, sans ascenseur');
    expect(floorText(1, true)).toBe('1er étage, avec ascenseur');
    expect(floorText(4, true)).toBe('4e étage, avec ascenseur');
    expect(rankText(1, 1)).toBe('1er sur 1 candidat');
    expect(rankText(2, 5)).toBe('2e sur 5 candidats');
  });
});

describe('advert and cycle checks', () => {
  it('freeze an advert once someone applied', () => {
    expect(advertEditable({ status: 'draft', applicationsEver: 0 })).toBe(true);
    expect(advertEditable({ status: 'published', applicationsEver: 0 })).toBe(true);
    expect(advertEditable({ status: 'published', applicationsEver: 1 })).toBe(false);
    expect(advertEditable({ status: 'closed', applicationsEver: 0 })).toBe(false);
  });
  it('check the description and the cycle like the server', () => {
    expect(descriptionProblem('trop court')).toMatch(/au moins 20 caractères \(10/);
    expect(descriptionProblem('x'.repeat(4001))).toMatch(/au plus 4 000/);
    expect(descriptionProblem('Un T2 lumineux près du tram.')).toBeNull();
    expect(cycleFormProblems({ name: ' ', opensAt: '', closesAt: '2026-01-01T10:00', max: '0' })).toEqual({
      name: 'Donnez un nom au cycle.',
      opensAt: 'Indiquez la date et l’heure d’ouverture.',
      max: 'Le nombre de candidatures doit être un entier de 1 à 20.',
    });
    expect(
      cycleFormProblems({
        name: 'Printemps',
        opensAt: '2026-01-02T10:00',
        closesAt: '2026-01-01T10:00',
        max: '3',
      }),
    ).toEqual({ closesAt: 'La clôture doit venir après l’ouverture.' });
    expect(
      cycleFormProblems({
        name: 'Printemps',
        opensAt: '2026-01-01T10:00',
        closesAt: '2026-01-15T10:00',
        max: '20',
      }),
    ).toEqual({});
  });
});

describe('adverts map', () => {
  it('places each home at the centroid of its IRIS', () => {
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [5, 45],
          [5.2, 45],
          [5.2, 45.2],
          [5, 45.2],
          [5, 45],
        ],
      ],
    };
    const [x, y] = ringCentroid(square)!;
    expect(x).toBeCloseTo(5.1, 10);
    expect(y).toBeCloseTo(45.1, 10);
    // A MultiPolygon: the largest part wins (a small island does not pull the marker into the sea).
    const multi = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [0.01, 0],
            [0.01, 0.01],
            [0, 0.01],
            [0, 0],
          ],
        ],
        square.coordinates,
      ],
    };
    expect(ringCentroid(multi)![0]).toBeCloseTo(5.1, 10);
    expect(ringCentroid(null)).toBeNull();
  });

  it('adds up the map’s counts by IRIS into counts by commune, in French alphabetical order', () => {
    expect(
      advertsByCommune([
        { iris: '381850101', commune: '38185', communeName: 'Grenoble', adverts: 3 },
        { iris: '381510000', commune: '38151', communeName: 'Échirolles', adverts: 2 },
        { iris: '381850102', commune: '38185', communeName: 'Grenoble', adverts: 4 },
        { iris: '384210000', commune: '38421', communeName: 'Saint-Martin-d’Hères', adverts: 1 },
      ]),
    ).toEqual([
      { commune: '38151', communeName: 'Échirolles', adverts: 2 },
      { commune: '38185', communeName: 'Grenoble', adverts: 7 },
      { commune: '38421', communeName: 'Saint-Martin-d’Hères', adverts: 1 },
    ]);
    expect(advertsByCommune([])).toEqual([]);
  });

  it('spreads the markers of one IRIS so that none hides another', () => {
    expect(markerOffsets(0, 14)).toEqual([]);
    expect(markerOffsets(1, 14)).toEqual([[0, 0]]);
    const many = markerOffsets(20, 14);
    expect(many).toHaveLength(20);
    for (let i = 0; i < many.length; i++)
      for (let j = i + 1; j < many.length; j++) {
        const [a, b] = [many[i]!, many[j]!];
        expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThan(13);
      }
  });

  it('groups the adverts by IRIS', () => {
    const advert = (id: string, iris: string) =>
      ({ id, home: { iris, commune: iris.slice(0, 5) } }) as unknown as Advert;
    const places = advertsByPlace([
      advert('a', '381850102'),
      advert('b', '381510000'),
      advert('c', '381850102'),
    ]);
    expect(places.map((p) => [p.iris, p.commune, p.adverts.map((a) => a.id)])).toEqual([
      ['381510000', '38151', ['b']],
      ['381850102', '38185', ['a', 'c']],
    ]);
  });

  it('checks a photo file before sending it, like the server', () => {
    expect(photoFileProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(photoFileProblem({ type: 'image/gif', size: 1000 })).toMatch(/JPEG, PNG ou WebP/);
    expect(photoFileProblem({ type: 'image/png', size: 10 * 1024 * 1024 + 1 })).toMatch(/10 Mo/);
  });
});
