import { createAdvert, type Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import {
  apiCaller,
  EVERYONE,
  logInAll,
  matrixDatabase,
  SECOND_LANDLORD_SQL,
  type TestSession,
  testCycle,
  type Who,
} from './helpers.ts';

const EPCI = '200040715';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Vacant homes P1…P6 of landlord L1 and Q1 of landlord L2 (a residence of its own). */
async function addHomes(db: Db): Promise<void> {
  await db.exec(`
    ${SECOND_LANDLORD_SQL}
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      SELECT 'P' || i, '${EPCI}', 'R2', 2, 45, 1, true, false, 'PLUS', 300, 50, 'commune-38185' FROM generate_series(1, 6) i;
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id)
      VALUES ('Q1', '${EPCI}', 'R3', 2, 45, 1, true, true, 'PLUS', 310, 40, 'state');
  `);
}

/** A JPEG taken "with a phone": EXIF camera make, GPS position, and an orientation of 6 (turned 90°). */
async function phonePhoto(width = 1600, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c08040' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TelephoneDeTest', Model: 'Modele 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '45/1 11/1 30/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '5/1 43/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

describe.each(testDbKinds())('advert photos on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  const sessions = new Map<string, TestSession>();
  let cycleId: string;
  let draft: string;
  let published: string;

  beforeAll(async () => {
    db = await matrixDatabase(kind, addHomes);
    cycleId = (await testCycle(db, 'photos', iso(7 * DAY), 3)).id;
    const advert = (homeId: string, publish: boolean) =>
      createAdvert(db, {
        epci: EPCI,
        homeId,
        landlordId: 'L1',
        cycleId,
        description: 'Logement lumineux, proche du tram et des écoles.',
        energyLabel: 'C',
        publish,
        createdBy: null,
      });
    draft = await advert('P1', false);
    published = await advert('P2', true);
    app = await buildApp({ db, loginPerMinute: 1000, rateLimitPerMinute: 100_000 });
    await logInAll(app, sessions);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = apiCaller(() => app, sessions);
  const upload = (who: Who, advert: string, image: Buffer, altText?: string) =>
    call(who, 'POST', `/adverts/${advert}/photos`, {
      imageBase64: image.toString('base64'),
      ...(altText !== undefined ? { altText } : {}),
    });

  it('resizes the photo to WebP at two sizes, turns it upright and strips every metadata (EXIF GPS)', async () => {
    const original = await phonePhoto();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const res = await upload('bailleur-L1', published, original, 'Séjour lumineux avec fenêtre sur cour');
    expect(res.statusCode).toBe(201);
    const [photo] = res.json().photos;
    // Orientation 6: the 1600×1200 file is a 1200×1600 picture once upright, fitted into 1280 and 400 px.
    expect(photo).toMatchObject({
      altText: 'Séjour lumineux avec fenêtre sur cour',
      width: 960,
      height: 1280,
      thumbnailWidth: 300,
      thumbnailHeight: 400,
    });
    for (const [size, w, h] of [
      ['large', 960, 1280],
      ['thumb', 300, 400],
    ] as const) {
      const image = await call('anonyme', 'GET', `/adverts/${published}/photos/${photo.id}/${size}`);
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/webp');
      expect(image.headers['cache-control']).toMatch(/^public, max-age=86400/);
      const meta = await sharp(image.rawPayload).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: w, height: h });
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(image.rawPayload.includes(Buffer.from('TelephoneDeTest'))).toBe(false);
      // Served again only if changed.
      const again = await call(
        'anonyme',
        'GET',
        `/adverts/${published}/photos/${photo.id}/${size}`,
        undefined,
        {
          'if-none-match': image.headers.etag as string,
        },
      );
      expect(again.statusCode).toBe(304);
    }
    // Stored re-encoded: no byte of the original metadata in the database either.
    const [stored] = await db.query<{ image: Uint8Array; thumbnail: Uint8Array }>(
      'SELECT image, thumbnail FROM advert_photo WHERE id = $1',
      [photo.id],
    );
    expect(Buffer.from(stored!.image).includes(Buffer.from('TelephoneDeTest'))).toBe(false);
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'advert' AND entity_id = $1 ORDER BY id",
      [published],
    );
    expect(audit.map((r) => r.action)).toContain('advert.photo.add');
  });

  it('refuses a photo without alternative text, of another type, undecodable, too small or too large — in French', async () => {
    const jpeg = await phonePhoto(800, 600);
    const noAlt = await upload('bailleur-L1', draft, jpeg);
    expect(noAlt.statusCode).toBe(400);
    expect(noAlt.json().details).toEqual([
      'le texte alternatif (altText) est obligatoire : décrivez ce que montre la photo',
    ]);
    expect((await upload('bailleur-L1', draft, jpeg, '   ')).json().details[0]).toMatch(/obligatoire/);
    const gif = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer();
    expect((await upload('bailleur-L1', draft, gif, 'Une cuisine équipée')).json().details).toEqual([
      'la photo (image) doit être au format JPEG, PNG ou WebP',
    ]);
    const garbage = await upload(
      'bailleur-L1',
      draft,
      Buffer.from('ceci n’est pas une image'),
      'Une cuisine',
    );
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().details[0]).toMatch(/n’a pas pu être lue/);
    const truncated = await upload('bailleur-L1', draft, jpeg.subarray(0, 400), 'Une cuisine équipée');
    expect(truncated.statusCode).toBe(400);
    const tiny = await sharp({ create: { width: 150, height: 900, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await upload('bailleur-L1', draft, tiny, 'Une cuisine équipée')).json().details).toEqual([
      'la photo (image) doit mesurer au moins 200 pixels de côté',
    ]);
    // Over 10 MiB: refused by the schema before any decoding.
    const big = await upload(
      'bailleur-L1',
      draft,
      Buffer.alloc(10 * 1024 * 1024 + 10, 1),
      'Une cuisine équipée',
    );
    expect(big.statusCode).toBe(400);
    expect((await db.query('SELECT 1 FROM advert_photo WHERE advert_id = $1', [draft])).length).toBe(0);
  });

  it('lets only the advert’s landlord add, order and remove photos, and shows a draft’s photos to those who see the draft', async () => {
    const jpeg = await phonePhoto(800, 600);
    const statuses: Record<string, number> = {};
    for (const who of EVERYONE)
      statuses[who] = (await upload(who, draft, jpeg, 'La chambre, vue du couloir')).statusCode;
    expect(statuses).toEqual({
      anonyme: 401,
      '03812': 403,
      '03813': 403,
      'bailleur-L1': 201,
      // A draft of another landlord is not disclosed; a published one is refused.
      'bailleur-L2': 404,
      'reservataire-etat': 403,
      'reservataire-ville': 403,
      analyste: 403,
      'analyste-ailleurs': 403,
      admin: 403,
    });
    expect((await upload('bailleur-L2', published, jpeg, 'La chambre, vue du couloir')).statusCode).toBe(403);
    await upload('bailleur-L1', draft, jpeg, 'La cuisine équipée, côté fenêtre');
    const photos = (await call('bailleur-L1', 'GET', `/adverts/${draft}`)).json().photos as { id: string }[];
    expect(photos).toHaveLength(2);
    // The image of a draft's photo: only for those who may see the draft, never cached publicly.
    const image = (who: Who) => call(who, 'GET', `/adverts/${draft}/photos/${photos[0]!.id}/thumb`);
    const seen: Record<string, number> = {};
    for (const who of EVERYONE) seen[who] = (await image(who)).statusCode;
    expect(seen).toEqual({
      anonyme: 404,
      '03812': 404,
      '03813': 404,
      'bailleur-L1': 200,
      'bailleur-L2': 404,
      'reservataire-etat': 404,
      'reservataire-ville': 200,
      analyste: 200,
      'analyste-ailleurs': 404,
      admin: 200,
    });
    expect((await image('bailleur-L1')).headers['cache-control']).toBe('private, no-cache');
    // A photo id under another advert is not found.
    expect(
      (await call('anonyme', 'GET', `/adverts/${published}/photos/${photos[0]!.id}/thumb`)).statusCode,
    ).toBe(404);
    // Order.
    const order = [photos[1]!.id, photos[0]!.id];
    expect(
      (await call('bailleur-L2', 'PUT', `/adverts/${draft}/photos/order`, { photoIds: order })).statusCode,
    ).toBe(404);
    expect(
      (await call('bailleur-L1', 'PUT', `/adverts/${draft}/photos/order`, { photoIds: [order[0]] }))
        .statusCode,
    ).toBe(400);
    const reordered = await call('bailleur-L1', 'PUT', `/adverts/${draft}/photos/order`, { photoIds: order });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().photos.map((p: { id: string }) => p.id)).toEqual(order);
    // Removal.
    expect((await call('bailleur-L2', 'DELETE', `/adverts/${draft}/photos/${order[0]}`)).statusCode).toBe(
      404,
    );
    expect(
      (await call('reservataire-ville', 'DELETE', `/adverts/${draft}/photos/${order[0]}`)).statusCode,
    ).toBe(403);
    expect((await call('03812', 'DELETE', `/adverts/${draft}/photos/${order[0]}`)).statusCode).toBe(403);
    const removed = await call('bailleur-L1', 'DELETE', `/adverts/${draft}/photos/${order[0]}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().photos.map((p: { id: string }) => p.id)).toEqual([order[1]]);
    expect((await call('bailleur-L1', 'DELETE', `/adverts/${draft}/photos/${order[0]}`)).statusCode).toBe(
      404,
    );
    const actions = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'advert' AND entity_id = $1 ORDER BY id",
      [draft],
    );
    expect(actions.map((r) => r.action)).toEqual([
      'advert.photo.add',
      'advert.photo.add',
      'advert.photo.reorder',
      'advert.photo.remove',
    ]);
  });

  it('freezes the photos once someone applied', async () => {
    const advert = await createAdvert(db, {
      epci: EPCI,
      homeId: 'P3',
      landlordId: 'L1',
      cycleId,
      description: 'Logement lumineux, proche du tram et des écoles.',
      energyLabel: 'C',
      publish: true,
      createdBy: null,
    });
    const jpeg = await phonePhoto(800, 600);
    const first = await upload('bailleur-L1', advert, jpeg, 'La façade de la résidence');
    expect(first.statusCode).toBe(201);
    const photoId = first.json().photos[0].id;
    expect((await call('03812', 'POST', `/adverts/${advert}/applications`, {})).statusCode).toBe(201);
    const late = await upload('bailleur-L1', advert, jpeg, 'Le balcon orienté au sud');
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatch(/des candidatures existent/);
    expect((await call('bailleur-L1', 'DELETE', `/adverts/${advert}/photos/${photoId}`)).statusCode).toBe(
      409,
    );
    expect(
      (await call('bailleur-L1', 'PUT', `/adverts/${advert}/photos/order`, { photoIds: [photoId] }))
        .statusCode,
    ).toBe(409);
  });
});
