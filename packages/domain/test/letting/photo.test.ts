import { describe, expect, it } from 'vitest';
import { fittedSize, PHOTO_MAX_BYTES, photoAltProblems, photoProblems } from '../../src/letting/photo.ts';

describe('advert photos', () => {
  it('require an alternative text of 5 to 300 characters, named in the message', () => {
    expect(photoAltProblems(undefined)).toEqual([
      'le texte alternatif (altText) est obligatoire : décrivez ce que montre la photo',
    ]);
    expect(photoAltProblems('   ')).toHaveLength(1);
    expect(photoAltProblems('Wc')[0]).toMatch(/au moins 5 caractères/);
    expect(photoAltProblems('x'.repeat(301))[0]).toMatch(/au plus 300 caractères/);
    expect(photoAltProblems('  Séjour avec balcon  ')).toEqual([]);
  });

  it('accept JPEG, PNG and WebP of 200 to 12,000 pixels a side, 64 megapixels and 10 MiB at most', () => {
    const ok = { bytes: 1000, format: 'jpeg', width: 1600, height: 1200 };
    expect(photoProblems(ok)).toEqual([]);
    expect(photoProblems({ ...ok, format: 'webp' })).toEqual([]);
    expect(photoProblems({ ...ok, format: 'gif' })).toEqual([
      'la photo (image) doit être au format JPEG, PNG ou WebP',
    ]);
    expect(photoProblems({ ...ok, format: undefined })).toHaveLength(1);
    expect(photoProblems({ ...ok, bytes: PHOTO_MAX_BYTES + 1 })).toEqual(['la photo (image) dépasse 10 Mo']);
    expect(photoProblems({ ...ok, width: 199 })).toEqual([
      'la photo (image) doit mesurer au moins 200 pixels de côté',
    ]);
    expect(photoProblems({ ...ok, width: 9000, height: 8000 })).toEqual([
      'la photo (image) doit compter au plus 64 mégapixels',
    ]);
    expect(photoProblems({ ...ok, height: 12_001 })).toEqual([
      'la photo (image) doit mesurer au plus 12000 pixels de côté',
    ]);
  });

  it('fit an image within a size on its longest side, never enlarging it', () => {
    expect(fittedSize(1600, 1200, 1280)).toEqual({ width: 1280, height: 960 });
    expect(fittedSize(1200, 1600, 400)).toEqual({ width: 300, height: 400 });
    expect(fittedSize(300, 200, 400)).toEqual({ width: 300, height: 200 });
    expect(fittedSize(5000, 3, 400)).toEqual({ width: 400, height: 1 });
  });
});
