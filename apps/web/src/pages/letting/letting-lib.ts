import type { Advert, AdvertStatus, ApplicationStatus, Band } from './types.ts';

/** Pure helpers of the letting pages (tested in apps/web/test/letting.test.ts). */

export interface AdvertFilters {
  communes: string[];
  typologies: number[];
  maxTotalRentEur: string;
  accessible: boolean;
  /** '' any, 'lift' with a lift, or a highest floor without a lift ('0', '1', '2'…). */
  floor: string;
  /** Applicants: also list the homes they are not eligible for (with the reason). */
  includeIneligible: boolean;
}

export const EMPTY_FILTERS: AdvertFilters = {
  communes: [],
  typologies: [],
  maxTotalRentEur: '',
  accessible: false,
  floor: '',
  includeIneligible: false,
};

/** The query string of GET /adverts for these filters (without the leading '?'). */
export function advertQuery(f: AdvertFilters): string {
  const q = new URLSearchParams();
  if (f.communes.length) q.set('communes', f.communes.join(','));
  if (f.typologies.length) q.set('typologies', [...f.typologies].sort((a, b) => a - b).join(','));
  const rent = f.maxTotalRentEur.trim().replace(',', '.');
  if (rent !== '' && Number.isFinite(Number(rent)) && Number(rent) >= 0) q.set('maxTotalRentEur', rent);
  if (f.accessible) q.set('accessible', 'true');
  if (f.floor === 'lift') q.set('lift', 'true');
  else if (/^\d+$/.test(f.floor)) q.set('maxFloorWithoutLift', f.floor);
  if (f.includeIneligible) q.set('eligibleOnly', 'false');
  return q.toString();
}

/** The filters read back from a query string (the page keeps them in its address). */
export function filtersFromQuery(search: string): AdvertFilters {
  const q = new URLSearchParams(search);
  const list = (key: string) =>
    (q.get(key) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    communes: list('communes').filter((c) => /^[0-9][0-9AB][0-9]{3}$/.test(c)),
    typologies: list('typologies')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= 6),
    maxTotalRentEur: q.get('maxTotalRentEur') ?? '',
    accessible: q.get('accessible') === 'true',
    floor: q.get('lift') === 'true' ? 'lift' : (q.get('maxFloorWithoutLift') ?? ''),
    includeIneligible: q.get('eligibleOnly') === 'false',
  };
}

/** A problem with the rent filter, in French, or null. */
export function rentProblem(value: string): string | null {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? null : 'Indiquez un montant en euros, par exemple 600.';
}

export const floorText = (floor: number, lift: boolean): string =>
  `${floor === 0 ? 'rez-de-chaussée' : `${floor}${floor === 1 ? 'er' : 'e'} étage`}, ${lift ? 'avec ascenseur' : 'sans ascenseur'}`;

export const BAND_TEXT: Record<Band, string> = {
  forte: 'chance forte',
  moyenne: 'chance moyenne',
  faible: 'chance faible',
};

export const ADVERT_STATUS: Record<AdvertStatus, string> = {
  draft: 'brouillon',
  published: 'publiée',
  withdrawn: 'retirée',
  closed: 'close',
};

export const APPLICATION_STATUS: Record<ApplicationStatus, string> = {
  active: 'en cours',
  withdrawn: 'retirée',
  shortlisted: 'retenue sur la liste des candidats',
  excluded: 'écartée',
};

/** « 2e sur 5 candidats » */
export function rankText(rank: number, applicants: number): string {
  return `${rank}${rank === 1 ? 'er' : 'e'} sur ${applicants} candidat${applicants > 1 ? 's' : ''}`;
}

/** Whether the landlord may still edit the advert (docs/letting.md: frozen once someone applied). */
export const advertEditable = (a: Pick<Advert, 'status' | 'applicationsEver'>): boolean =>
  a.status === 'draft' || (a.status === 'published' && a.applicationsEver === 0);

export const ENERGY_LABELS = ['A', 'B', 'C', 'D', 'E', 'F', 'G'] as const;

/** Client-side checks of an advert's text, mirroring the server's (description 20–4,000 characters). */
export function descriptionProblem(description: string): string | null {
  const n = description.trim().length;
  if (n < 20) return `La description doit compter au moins 20 caractères (${n} actuellement).`;
  if (n > 4000) return `La description doit compter au plus 4 000 caractères (${n} actuellement).`;
  return null;
}

/** Checks of a new cycle's fields; dates are datetime-local values. */
export function cycleFormProblems(f: {
  name: string;
  opensAt: string;
  closesAt: string;
  max: string;
}): Partial<Record<'name' | 'opensAt' | 'closesAt' | 'max', string>> {
  const problems: Partial<Record<'name' | 'opensAt' | 'closesAt' | 'max', string>> = {};
  if (!f.name.trim()) problems.name = 'Donnez un nom au cycle.';
  const opens = Date.parse(f.opensAt);
  const closes = Date.parse(f.closesAt);
  if (Number.isNaN(opens)) problems.opensAt = 'Indiquez la date et l’heure d’ouverture.';
  if (Number.isNaN(closes)) problems.closesAt = 'Indiquez la date et l’heure de clôture.';
  else if (!Number.isNaN(opens) && closes <= opens)
    problems.closesAt = 'La clôture doit venir après l’ouverture.';
  const max = Number(f.max);
  if (!Number.isInteger(max) || max < 1 || max > 20)
    problems.max = 'Le nombre de candidatures doit être un entier de 1 à 20.';
  return problems;
}

export const frDateTime = (iso: string): string =>
  new Date(iso).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
export { formatDate as frDate } from '../../lib/format.ts';

/** A datetime-local value (local time, minutes) for a date. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Adverts grouped by IRIS (where the map places them), in a stable order. */
export function advertsByPlace(
  adverts: readonly Advert[],
): { iris: string; commune: string; adverts: Advert[] }[] {
  const by = new Map<string, { iris: string; commune: string; adverts: Advert[] }>();
  for (const a of adverts) {
    const place = by.get(a.home.iris) ?? { iris: a.home.iris, commune: a.home.commune, adverts: [] };
    place.adverts.push(a);
    by.set(a.home.iris, place);
  }
  return [...by.values()].sort((x, y) => (x.iris < y.iris ? -1 : x.iris > y.iris ? 1 : 0));
}

/** Every advert matching a search, counted by IRIS (GET /advert-places). */
export interface AdvertPlaces {
  total: number;
  places: { iris: string; commune: string; communeName: string; adverts: number }[];
}

/** The counts of GET /advert-places by commune, in alphabetical order of the commune's name. */
export function advertsByCommune(
  places: AdvertPlaces['places'],
): { commune: string; communeName: string; adverts: number }[] {
  const by = new Map<string, { commune: string; communeName: string; adverts: number }>();
  for (const p of places) {
    const c = by.get(p.commune);
    if (c) c.adverts += p.adverts;
    else by.set(p.commune, { commune: p.commune, communeName: p.communeName, adverts: p.adverts });
  }
  return [...by.values()].sort((x, y) => x.communeName.localeCompare(y.communeName, 'fr'));
}

/**
 * Offsets of `n` markers around one point so that none hides another: the first at the centre, the
 * next on rings of growing radius (`spacing` apart), each ring holding as many as fit.
 */
export function markerOffsets(n: number, spacing: number): [number, number][] {
  const out: [number, number][] = [];
  if (n > 0) out.push([0, 0]);
  for (let ring = 1; out.length < n; ring++) {
    const r = ring * spacing;
    const count = Math.floor((2 * Math.PI * r) / spacing);
    for (let i = 0; i < count && out.length < n; i++) {
      const angle = (2 * Math.PI * i) / count - Math.PI / 2;
      out.push([Math.round(r * Math.cos(angle) * 10) / 10, Math.round(r * Math.sin(angle) * 10) / 10]);
    }
  }
  return out;
}

/** The centroid (longitude, latitude) of the largest outer ring of a Polygon or MultiPolygon. */
export function ringCentroid(geometry: unknown): [number, number] | null {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (!g?.coordinates) return null;
  const polygons = (g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates]) as number[][][][];
  let best: { area: number; x: number; y: number } | null = null;
  for (const polygon of polygons) {
    const ring = polygon[0];
    if (!ring || ring.length < 3) continue;
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < ring.length; i++) {
      const [x0, y0] = ring[i]! as [number, number];
      const [x1, y1] = ring[(i + 1) % ring.length]! as [number, number];
      const cross = x0 * y1 - x1 * y0;
      a += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    if (a === 0) continue;
    const area = Math.abs(a / 2);
    if (!best || area > best.area) best = { area, x: cx / (3 * a), y: cy / (3 * a) };
  }
  return best ? [best.x, best.y] : null;
}

/** Client-side check of a photo file, mirroring the server's (type and 10 MiB); null when fine. */
export function photoFileProblem(file: { type: string; size: number }): string | null {
  if (!['image/jpeg', 'image/png', 'image/webp'].includes(file.type))
    return 'La photo doit être un fichier JPEG, PNG ou WebP.';
  if (file.size > 10 * 1024 * 1024) return 'La photo dépasse 10 Mo.';
  return null;
}
