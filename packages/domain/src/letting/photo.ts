/**
 * Photos of an advert: what a landlord agent may upload and how it is kept. The server decodes the
 * image, checks it against these rules, re-encodes it at two sizes and drops every metadata (EXIF
 * GPS coordinates are personal data); the alternative text is required (WCAG 2.1, 1.1.1).
 */

export const PHOTO_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

/** Largest upload accepted, in bytes (10 MiB). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** Smallest side accepted, in pixels: a smaller image is unreadable on an advert. */
export const PHOTO_MIN_SIDE_PX = 200;
/** Largest side accepted, in pixels (a guard against decompression bombs). */
export const PHOTO_MAX_SIDE_PX = 12_000;
/** Largest image in pixels (64 megapixels: every phone camera), so that decoding stays within memory. */
export const PHOTO_MAX_PIXELS = 64_000_000;
/** Longest side of the displayed image and of the thumbnail, in pixels. */
export const PHOTO_LARGE_PX = 1280;
export const PHOTO_THUMB_PX = 400;
/** Photos per advert. */
export const PHOTO_MAX_PER_ADVERT = 10;
export const PHOTO_ALT_MIN = 5;
export const PHOTO_ALT_MAX = 300;

/** The problems of an alternative text, as French sentences (empty when valid). */
export function photoAltProblems(alt: string | undefined | null): string[] {
  const text = (alt ?? '').trim();
  if (text.length === 0)
    return ['le texte alternatif (altText) est obligatoire : décrivez ce que montre la photo'];
  if (text.length < PHOTO_ALT_MIN)
    return [`le texte alternatif (altText) doit compter au moins ${PHOTO_ALT_MIN} caractères`];
  if (text.length > PHOTO_ALT_MAX)
    return [`le texte alternatif (altText) doit compter au plus ${PHOTO_ALT_MAX} caractères`];
  return [];
}

/** The problems of a decoded image (format as the decoder read it, not as declared), in French. */
export function photoProblems(image: {
  bytes: number;
  format: string | undefined;
  width: number | undefined;
  height: number | undefined;
}): string[] {
  const problems: string[] = [];
  if (image.bytes > PHOTO_MAX_BYTES)
    problems.push(`la photo (image) dépasse ${PHOTO_MAX_BYTES / 1024 / 1024} Mo`);
  if (!image.format || !(PHOTO_FORMATS as readonly string[]).includes(image.format))
    problems.push('la photo (image) doit être au format JPEG, PNG ou WebP');
  const w = image.width ?? 0;
  const h = image.height ?? 0;
  if (Math.min(w, h) < PHOTO_MIN_SIDE_PX)
    problems.push(`la photo (image) doit mesurer au moins ${PHOTO_MIN_SIDE_PX} pixels de côté`);
  if (Math.max(w, h) > PHOTO_MAX_SIDE_PX)
    problems.push(`la photo (image) doit mesurer au plus ${PHOTO_MAX_SIDE_PX} pixels de côté`);
  else if (w * h > PHOTO_MAX_PIXELS)
    problems.push(`la photo (image) doit compter au plus ${PHOTO_MAX_PIXELS / 1_000_000} mégapixels`);
  return problems;
}

/** The size of an image fitted within `max` pixels on its longest side (never enlarged). */
export function fittedSize(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
