import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Db, DEMO_TERRITORY_DIR, importTerritory, openDb, readTerritoryFolder } from '@mosaique/db';
import { createTestDb, testDbKinds } from '@mosaique/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

describe.each(testDbKinds())('API on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('GET /api/v1/health answers ok once the database is migrated', async () => {
    const res = await app.inject('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /api/v1/territories/200040715 gives the EPCI with its counts and sources', async () => {
    const res = await app.inject('/api/v1/territories/200040715');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: '200040715',
      name: 'Grenoble-Alpes-Métropole',
      counts: { communes: 49, iris: 201, irisWithIncome: 131, qpv: 10 },
    });
    expect(res.json().sources.map((s: { producer: string }) => s.producer)).toContain('INSEE');
  });

  it('gives the communes and the IRIS as GeoJSON, with null where INSEE withholds the income', async () => {
    const communes = (await app.inject('/api/v1/territories/200040715/communes')).json();
    expect(communes.type).toBe('FeatureCollection');
    expect(communes.features).toHaveLength(49);
    const iris = (await app.inject('/api/v1/territories/200040715/iris')).json();
    expect(iris.features).toHaveLength(201);
    const withheld = iris.features.filter(
      (f: { properties: { medianIncome: number | null } }) => f.properties.medianIncome === null,
    );
    expect(withheld).toHaveLength(70);
    expect(iris.features[0].geometry.type).toMatch(/Polygon/);
  });

  it('lists the schools with their IPS by school year', async () => {
    const { schools } = (await app.inject('/api/v1/territories/200040715/schools')).json();
    expect(schools.filter((s: { level: string }) => s.level === 'college')).toHaveLength(41);
    expect(schools[0].years.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown EPCI and 400 for a malformed code, in French', async () => {
    const unknown = await app.inject('/api/v1/territories/123456789/iris');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('EPCI 123456789 inconnu');
    const malformed = await app.inject('/api/v1/territories/abc');
    expect(malformed.statusCode).toBe(400);
    expect((await app.inject('/api/v1/nothing')).statusCode).toBe(404);
  });

  it('compresses large API answers for clients that accept it', async () => {
    const res = await app.inject({
      url: '/api/v1/territories/200040715/iris',
      headers: { 'accept-encoding': 'br' },
    });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.rawPayload.length).toBeLessThan(40_000);
  });

  it('sends security headers on every answer', async () => {
    const res = await app.inject('/api/v1/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('publishes an OpenAPI document describing the routes', async () => {
    const doc = (await app.inject('/api/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/territories/{code}',
        '/api/v1/territories/{code}/communes',
        '/api/v1/territories/{code}/iris',
        '/api/v1/territories/{code}/schools',
      ]),
    );
    expect((await app.inject('/api/docs')).statusCode).toBeLessThan(400);
  });
});

describe('API limits and readiness', () => {
  it('answers 503 while the database is not migrated', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    const app = await buildApp({ db });
    try {
      const res = await app.inject('/api/v1/health');
      expect(res.statusCode).toBe(503);
      expect(res.json().status).toBe('indisponible');
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('rate-limits a client that sends too many requests', async () => {
    const db = await createTestDb('pglite');
    const app = await buildApp({ db, rateLimitPerMinute: 3 });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await app.inject('/api/v1/health')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('web app serving', () => {
  it('serves the page for every client route, assets with long caching, and a 404 for missing files', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mosaique-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Mosaïque</title>');
    writeFileSync(path.join(root, 'assets', 'app-1.js'), 'console.log(1)');
    const db = await createTestDb('pglite');
    const app = await buildApp({ db, webRoot: root });
    try {
      const page = await app.inject('/territoire');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>Mosaïque</title>');
      expect(page.headers['cache-control']).toBe('no-cache');
      const asset = await app.inject('/assets/app-1.js');
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      // A file written after start (a rebuild) is served too.
      writeFileSync(path.join(root, 'assets', 'app-2.js'), 'console.log(2)');
      expect((await app.inject('/assets/app-2.js')).statusCode).toBe(200);
      expect((await app.inject('/assets/missing.js')).statusCode).toBe(404);
      const api = await app.inject('/api/v1/unknown');
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({ error: 'ressource introuvable' });
    } finally {
      await app.close();
      await db.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
