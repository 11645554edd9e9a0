import {
  fittedSize,
  PHOTO_LARGE_PX,
  PHOTO_MAX_PIXELS,
  PHOTO_THUMB_PX,
  photoProblems,
} from '@mosaique/domain/letting';
import sharp, { type Metadata } from 'sharp';

/**
 * Re-encodes an uploaded photo of an advert: decoded (whatever its declared type), checked against
 * the domain's rules, turned upright from its EXIF orientation, then written anew as WebP at two
 * sizes. Nothing of the original file is kept: sharp writes no metadata unless asked, so EXIF (GPS
 * position, camera, date), XMP, IPTC and ICC profiles are all dropped.
 */
export interface ProcessedPhoto {
  contentType: 'image/webp';
  image: Buffer;
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbnailWidth: number;
  thumbnailHeight: number;
}

export type PhotoOutcome = { ok: true; photo: ProcessedPhoto } | { ok: false; problems: string[] };

const UNREADABLE = ['la photo (image) n’a pas pu être lue : fichier JPEG, PNG ou WebP attendu'];

export async function processPhoto(bytes: Buffer): Promise<PhotoOutcome> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: PHOTO_MAX_PIXELS }).metadata();
  } catch {
    return { ok: false, problems: UNREADABLE };
  }
  // EXIF orientations 5–8 swap width and height once the image is upright.
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = swapped ? meta.height : meta.width;
  const height = swapped ? meta.width : meta.height;
  const problems = photoProblems({ bytes: bytes.length, format: meta.format, width, height });
  if (problems.length) return { ok: false, problems };
  const encode = async (max: number, quality: number) => {
    const size = fittedSize(width!, height!, max);
    const data = await sharp(bytes, { limitInputPixels: PHOTO_MAX_PIXELS })
      .rotate()
      .resize({ width: size.width, height: size.height, fit: 'fill' })
      .webp({ quality })
      .toBuffer({ resolveWithObject: true });
    return { data: data.data, width: data.info.width, height: data.info.height };
  };
  try {
    const large = await encode(PHOTO_LARGE_PX, 80);
    const thumb = await encode(PHOTO_THUMB_PX, 72);
    return {
      ok: true,
      photo: {
        contentType: 'image/webp',
        image: large.data,
        width: large.width,
        height: large.height,
        thumbnail: thumb.data,
        thumbnailWidth: thumb.width,
        thumbnailHeight: thumb.height,
      },
    };
  } catch {
    // A file whose header reads but whose pixels do not (truncated, corrupt).
    return { ok: false, problems: UNREADABLE };
  }
}
