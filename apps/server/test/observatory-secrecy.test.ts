import type { Db } from '@mosaique/db';
import { testDbKinds } from '@mosaique/db/testing';
import { MIX_POPULATIONS, MIX_SCALES, MIX_VARIABLES } from '@mosaique/domain/observatory';
import { parseCsv } from '@mosaique/domain/shared/csv.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { demoLeasesDatabase } from './helpers.ts';

/**
 * Statistical secrecy of the public observatory on the demo territory (docs/decisions/0006): no
 * published share, location quotient or group count gives back a count of 1 to 10 households —
 * directly (share × total), through the EPCI's group counts (quotient × group share × total), by
 * subtraction within a unit (its shares sum to 1) or between scales (a commune minus its IRIS).
 */

const EPCI = '200040715';
const BASE = `/api/v1/territories/${EPCI}/observatory`;
const THRESHOLD = 11;

interface Unit {
  level: string;
  code: string;
  commune: { code: string } | null;
  total: number;
  localScore: number | null;
  contribution: number | null;
  localScoreSecret: boolean;
  shares: (number | null)[];
  sharesSecret: boolean[];
  locationQuotients: (number | null)[];
  locationQuotientsSecret: boolean[];
}
interface Indices {
  total: number | null;
  groups: { code: string; count: number | null; share: number | null; secret: boolean }[];
}

/** A count given back by a published figure: it must be an integer, and 0 or at least 11. */
function expectPublishable(count: number, what: string): number {
  const rounded = Math.round(count);
  expect(Math.abs(count - rounded), what).toBeLessThan(1e-6);
  expect(rounded === 0 || rounded >= THRESHOLD, `${what} révèle ${rounded} ménages`).toBe(true);
  return rounded;
}

describe.each(testDbKinds())('observatory under statistical secrecy on %s', (kind) => {
  let db: Db;
  let app: FastifyInstance;
  let year: number;

  beforeAll(async () => {
    // 600 real generated leases and their households: small counts everywhere, the hard case.
    ({ db, lastLeaseYear: year } = await demoLeasesDatabase(kind, 600));
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const queries = () =>
    MIX_VARIABLES.flatMap((variable) =>
      MIX_POPULATIONS.flatMap((population) =>
        MIX_SCALES.filter((scale) => !(population === 'households' && scale === 'residence')).map(
          (scale) =>
            `variable=${variable}&population=${population}&scale=${scale}` +
            (population === 'lettings' ? `&year=${year}` : ''),
        ),
      ),
    );

  it('publishes no share, quotient or group count revealing 1 to 10 households, at any scale', async () => {
    let checkedShares = 0;
    let secretShares = 0;
    const refused: string[] = [];
    const listedBy = new Map<string, string>();
    for (const query of queries()) {
      const indicesRes = await app.inject(`${BASE}/indices?${query}`);
      if (indicesRes.statusCode === 400) {
        expect(indicesRes.json().error).toContain('appartiennent au même groupe');
        refused.push(query.split('&').slice(0, 2).join('&'));
        continue;
      }
      expect(indicesRes.statusCode, query).toBe(200);
      const indices = indicesRes.json<Indices>();
      const whole = indices.groups.map((g) => {
        if (g.secret) {
          expect(g.count, query).toBeNull();
          expect(g.share, query).toBeNull();
          return null;
        }
        return expectPublishable(g.count!, `${query} EPCI ${g.code}`);
      });
      // Within the EPCI's row: never one secret group, and the secret ones hide 0 or ≥ 11 together.
      const wholeSecrets = whole.filter((c) => c === null).length;
      expect(wholeSecrets === 0 || wholeSecrets >= 2, query).toBe(true);
      if (indices.total !== null && wholeSecrets > 0)
        expect(indices.total - whole.reduce<number>((s, c) => s + (c ?? 0), 0)).toBeGreaterThanOrEqual(
          THRESHOLD,
        );

      const units = (await app.inject(`${BASE}/units?${query}`)).json<{ units: Unit[] }>().units;
      // A unit's total is one figure under every variable: the same units are published for all.
      const listed = units.map((u) => `${u.code}:${u.total}`).join(',');
      const sameUnits = query.replace(/^variable=[^&]+&/, '');
      expect(listedBy.get(sameUnits) ?? listed, query).toBe(listed);
      listedBy.set(sameUnits, listed);
      for (const u of units) {
        const what = `${query} ${u.code}`;
        expect(u.total, what).toBeGreaterThanOrEqual(THRESHOLD);
        const counts = u.shares.map((share, g) => {
          if (u.sharesSecret[g]) {
            expect(share, what).toBeNull();
            secretShares++;
            return null;
          }
          checkedShares++;
          return expectPublishable(share! * u.total, `${what} part ${g}`);
        });
        // The shares sum to 1: a unit hides no group or at least two, and 0 or ≥ 11 households.
        const secrets = counts.filter((c) => c === null).length;
        expect(secrets === 0 || secrets >= 2, what).toBe(true);
        if (secrets > 0) {
          const hidden = u.total - counts.reduce<number>((s, c) => s + (c ?? 0), 0);
          expect(hidden, what).toBeGreaterThanOrEqual(THRESHOLD);
          // The local score would pin the hidden shares: it is secret too.
          expect(u.localScoreSecret, what).toBe(true);
          expect(u.localScore, what).toBeNull();
          expect(u.contribution, what).toBeNull();
        }
        for (const [g, q] of u.locationQuotients.entries()) {
          if (u.locationQuotientsSecret[g]) {
            expect(q, what).toBeNull();
            continue;
          }
          if (q === null || q === 0) continue;
          // LQ = (t_ug / t_u) / (t_g / T): with the unit's count published, t_g / T follows.
          expect(whole[g], `${what} quotient ${g} sans effectif de l’EPCI publié`).not.toBeNull();
          expect(counts[g], `${what} quotient ${g} d’un effectif secret`).not.toBeNull();
          expectPublishable(q * (whole[g]! / indices.total!) * u.total, `${what} quotient ${g}`);
        }
      }
    }
    // On this slice every household is a social tenant: tenure has one group, and nothing to show.
    expect([...new Set(refused)]).toEqual([
      'variable=tenure&population=households',
      'variable=tenure&population=social-occupants',
      'variable=tenure&population=lettings',
    ]);
    expect(refused).toHaveLength(11);
    // The rule bites on this small population (600 households), and still publishes shares.
    expect(secretShares).toBeGreaterThan(100);
    expect(checkedShares).toBeGreaterThan(100);
  });

  it('leaves no IRIS count to be read from its commune’s (one system for every scale)', async () => {
    for (const population of ['households', 'social-occupants', 'lettings']) {
      const query = `variable=income-quartile&population=${population}${population === 'lettings' ? `&year=${year}` : ''}`;
      const communes = (await app.inject(`${BASE}/units?${query}&scale=commune`)).json<{ units: Unit[] }>();
      const iris = (await app.inject(`${BASE}/units?${query}&scale=iris`)).json<{ units: Unit[] }>();
      for (const c of communes.units) {
        const inside = iris.units.filter((i) => i.commune?.code === c.code);
        c.shares.forEach((share, g) => {
          if (share === null) return;
          // The commune's count minus its IRIS' published counts: what its hidden IRIS cells hold.
          const rest =
            Math.round(share * c.total) -
            inside.reduce((s, i) => s + (i.shares[g] === null ? 0 : Math.round(i.shares[g]! * i.total)), 0);
          expect(rest === 0 || rest >= THRESHOLD, `${population} ${c.code} groupe ${g} : reste ${rest}`).toBe(
            true,
          );
        });
      }
    }
  });

  it('downloads the same figures as CSV, a secret value empty with its « _secret » column at « oui »', async () => {
    const query = `variable=household-type&population=lettings&scale=iris&year=${year}`;
    const json = (await app.inject(`${BASE}/units?${query}`)).json<{ units: Unit[] }>();
    const csv = await app.inject(`${BASE}/units?${query}&format=csv`);
    const [header, ...rows] = parseCsv(csv.body).map((r) => r.fields);
    const at = (row: string[], column: string) => row[header!.indexOf(column)]!;
    expect(header).toEqual(
      expect.arrayContaining([
        'score_local_secret',
        'part_single_secret',
        'quotient_localisation_single_secret',
      ]),
    );
    expect(rows).toHaveLength(json.units.length);
    let secret = 0;
    for (const [i, row] of rows.entries()) {
      const u = json.units[i]!;
      expect(at(row, 'code')).toBe(u.code);
      for (const column of header!.filter((h) => h.endsWith('_secret'))) {
        const value = at(row, column.slice(0, -'_secret'.length));
        if (at(row, column) === 'oui') {
          expect(value, column).toBe('');
          secret++;
        } else {
          expect(at(row, column), column).toBe('non');
        }
      }
      const single = at(row, 'part_single');
      if (single !== '') expectPublishable(Number(single) * Number(at(row, 'menages')), u.code);
    }
    expect(secret).toBeGreaterThan(0);
  });
});
