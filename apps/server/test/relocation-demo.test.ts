import {
  type Db,
  DEMO_TERRITORY_DIR,
  exportedFile,
  importTerritory,
  listFiles,
  readTerritoryFolder,
  replaceDemoPopulation,
} from '@mosaique/db';
import { createTestDb, testDbKinds, tinyPopulation } from '@mosaique/db/testing';
import { trajectoryIndicators } from '@mosaique/domain/relocation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICER, ensureDemoRelocation } from '../src/relocation/demo.ts';

const EPCI = '200040715';

/** A generated Villeneuve building of 30 occupied homes, and 40 vacant generated homes outside QPV (half new). */
async function demoLike(kind: Parameters<typeof createTestDb>[0]): Promise<Db> {
  const db = await createTestDb(kind);
  await importTerritory(db, await readTerritoryFolder(DEMO_TERRITORY_DIR));
  await replaceDemoPopulation(db, tinyPopulation(1));
  await db.exec(`
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year, generated)
      SELECT 'RV', epci_code, 'L1', 'Arlequin 80', commune_code, iris_code, 'QN03807M', longitude, latitude, 1972, true FROM residence WHERE id = 'R1';
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year, generated)
      SELECT 'RN', epci_code, 'L1', 'Les Jardins', commune_code, iris_code, NULL, longitude, latitude, 2023, true FROM residence WHERE id = 'R2';
    INSERT INTO residence (id, epci_code, landlord_id, name, commune_code, iris_code, qpv_code, longitude, latitude, construction_year, generated)
      SELECT 'RO', epci_code, 'L1', 'Les Platanes', commune_code, iris_code, NULL, longitude, latitude, 1988, true FROM residence WHERE id = 'R2';
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id, generated)
      SELECT 'V' || lpad(i::text, 2, '0'), '${EPCI}', 'RV', 1 + i % 4, 35 + 12 * (i % 4), i % 8, false, false, 'PLUS', 250 + 30 * (i % 4), 90, 'state', true
      FROM generate_series(1, 30) i;
    INSERT INTO home (id, epci_code, residence_id, typology, surface_m2, floor, lift, accessible, financing, rent_eur, charges_eur, reservation_holder_id, generated)
      SELECT 'F' || lpad(i::text, 2, '0'), '${EPCI}', CASE WHEN i % 2 = 0 THEN 'RN' ELSE 'RO' END, 1 + i % 5, 38 + 12 * (i % 5), i % 5, true, i % 3 = 0, 'PLUS', 300 + 40 * (i % 5), 85, 'state', true
      FROM generate_series(1, 40) i;
    INSERT INTO household (id, epci_code, commune_code, iris_code, tenure, home_id, persons_14_or_more, persons_under_14,
        reference_age, type, annual_disposable_income_eur, income_imputed, generated)
      SELECT 'HV' || lpad(i::text, 2, '0'), '${EPCI}', '38185', '381850604', 'social-tenant', 'V' || lpad(i::text, 2, '0'),
        1 + i % 2, i % 3, 25 + (i * 7) % 55, 'other', 9000 + 700 * i, false, true
      FROM generate_series(1, 30) i;
  `);
  await ensureDemoRelocation(db, EPCI);
  return db;
}

describe.each(testDbKinds())('demo relocation operation on %s', (kind) => {
  let first: Db;
  let second: Db;
  beforeAll(async () => {
    first = await demoLike(kind);
    second = await demoLike(kind);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const summary = async (db: Db) =>
    (await listFiles(db, { epci: EPCI })).map((f) => ({
      household: f.householdId,
      stage: exportedFile(f).stage,
      diagnosisOn: f.diagnosisOn,
      wishes: f.wishes,
      proposals: f.proposals.map((p) => `${p.homeId} ${p.proposedOn} ${p.response} ${p.refusalReason ?? ''}`),
      lease: f.lease ? `${f.lease.homeId} ${f.lease.signedOn}` : null,
    }));

  it('is deterministic and half-way through: rehoused, proposals pending, diagnosed, not met yet', async () => {
    const files = await summary(first);
    expect(files).toEqual(await summary(second));
    expect(files).toHaveLength(30);
    const count = (stage: string) => files.filter((f) => f.stage === stage).length;
    expect(count('rehoused')).toBe(14); // the first 45 %
    expect(count('proposal-pending')).toBe(6);
    expect(count('diagnosed')).toBe(6);
    expect(count('to-meet')).toBe(4);
    // Every lease is signed in 2025, after its proposal was accepted.
    for (const f of files.filter((x) => x.lease)) expect(f.lease).toMatch(/ 2025-\d\d-\d\d$/);
    // A second start changes nothing.
    await ensureDemoRelocation(first, EPCI);
    expect(await summary(first)).toEqual(files);
  });

  it('attaches the demo officer, creates the demo household’s account and counts its leases as relocations', async () => {
    const [op] = await first.query<{ id: string; officers: string[] }>(
      `SELECT o.id, array_agg(u.identifier) AS officers FROM relocation_operation o
       JOIN relocation_officer r ON r.operation_id = o.id JOIN app_user u ON u.id = r.user_id GROUP BY o.id`,
    );
    expect(op!.officers).toEqual([DEMO_OFFICER]);
    const [household] = await first.query<{ sne: string; pending: boolean }>(
      `SELECT u.sne_number AS sne, EXISTS (SELECT 1 FROM relocation_file f JOIN relocation_proposal p ON p.file_id = f.id
          WHERE f.sne_number = u.sne_number AND p.response = 'pending') AS pending
       FROM app_user u WHERE u.role = 'applicant'`,
    );
    expect(household!.pending).toBe(true);
    const leases = await first.query<{ renewal: boolean; generated: boolean }>(
      `SELECT urban_renewal_relocation AS renewal, generated FROM lease WHERE signed_on >= '2025-01-01'`,
    );
    expect(leases).toHaveLength(14);
    expect(leases.every((l) => l.renewal && l.generated)).toBe(true);
    const indicators = trajectoryIndicators(
      (await listFiles(first, { operationId: op!.id })).map(exportedFile),
    );
    expect(indicators.rehoused).toBe(14);
    expect(indicators.newOrRecent.count).toBeGreaterThan(0);
  });
});
