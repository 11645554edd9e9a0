import type { DemoPopulation } from '@mosaique/domain/demo';
import { type BulkResult, bulkWrite } from './bulk.ts';
import type { Db } from './db.ts';
import { DEMAND_COLUMNS, demandRow } from './demand-repository.ts';
import { upsertDatasets } from './territory-repository.ts';

export const DEMO_POPULATION_DATASET = 'demo-population';

export interface PopulationLoadProgress {
  table: string;
  rows: number;
}

/**
 * Replaces the generated population of an EPCI (stock, households, demands, leases, thresholds) by
 * `population`, in one transaction: a failure leaves the previous population in place. Real
 * territory data is never touched; what was built on the old population (letting cycles, adverts,
 * applications, commission work, accounts of applicants with a generated demand) is removed with it.
 */
export async function replaceDemoPopulation(
  db: Db,
  population: DemoPopulation,
  onProgress: (step: PopulationLoadProgress) => void = () => {},
): Promise<Record<string, BulkResult>> {
  const epci = population.epci;
  return db.transaction(async (tx) => {
    // What was built on the previous population goes with it: the commission's and the letting's
    // work, and the accounts of applicants whose (generated) demand disappears. The audit log stays.
    for (const table of [
      'applicant_response',
      'decision',
      'agenda_item',
      'commission_session',
      'shortlist',
      'application',
      'advert',
      'letting_cycle',
    ]) {
      await tx.query(`DELETE FROM ${table} WHERE epci_code = $1`, [epci]);
    }
    const generatedDemands = 'SELECT sne_number FROM demand WHERE epci_code = $1 AND generated';
    await tx.query(`DELETE FROM activation_code WHERE sne_number IN (${generatedDemands})`, [epci]);
    await tx.query(`DELETE FROM app_user WHERE sne_number IN (${generatedDemands})`, [epci]);
    for (const table of ['lease', 'demand', 'household', 'home', 'residence']) {
      await tx.query(`DELETE FROM ${table} WHERE epci_code = $1 AND generated`, [epci]);
    }
    await tx.query('DELETE FROM first_quartile_threshold WHERE epci_code = $1 AND official_eur IS NULL', [
      epci,
    ]);
    const report: Record<string, BulkResult> = {};
    const write = async (table: string, spec: Omit<Parameters<typeof bulkWrite>[1], 'table'>) => {
      report[table] = await bulkWrite(tx, { table, ...spec });
      onProgress({ table, rows: spec.rows.length });
    };

    await write('landlord', {
      key: ['id'],
      columns: [
        { name: 'id', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'generated', type: 'boolean' },
      ],
      rows: population.landlords.map((l) => [l.id, l.name, l.generated]),
    });
    await write('reservation_holder', {
      key: ['id'],
      columns: [
        { name: 'id', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'kind', type: 'text' },
        { name: 'commune_code', type: 'text' },
      ],
      rows: population.reservationHolders.map((r) => [r.id, r.name, r.kind, r.commune]),
    });
    await write('residence', {
      columns: [
        { name: 'id', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'landlord_id', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'commune_code', type: 'text' },
        { name: 'iris_code', type: 'text' },
        { name: 'qpv_code', type: 'text' },
        { name: 'longitude', type: 'double precision' },
        { name: 'latitude', type: 'double precision' },
        { name: 'construction_year', type: 'smallint' },
        { name: 'generated', type: 'boolean' },
      ],
      rows: population.residences.map((r) => [
        r.id,
        r.epci,
        r.landlord,
        r.name,
        r.commune,
        r.iris,
        r.qpv,
        r.longitude,
        r.latitude,
        r.constructionYear,
        r.generated,
      ]),
    });
    await write('home', {
      columns: [
        { name: 'id', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'residence_id', type: 'text' },
        { name: 'typology', type: 'smallint' },
        { name: 'surface_m2', type: 'double precision' },
        { name: 'floor', type: 'smallint' },
        { name: 'lift', type: 'boolean' },
        { name: 'accessible', type: 'boolean' },
        { name: 'financing', type: 'text' },
        { name: 'rent_eur', type: 'double precision' },
        { name: 'charges_eur', type: 'double precision' },
        { name: 'reservation_holder_id', type: 'text' },
        { name: 'generated', type: 'boolean' },
      ],
      rows: population.homes.map((h) => [
        h.id,
        epci,
        h.residence,
        h.typology,
        h.surfaceM2,
        h.floor,
        h.lift,
        h.accessible,
        h.financing,
        h.rentEur,
        h.chargesEur,
        h.reservationHolder,
        h.generated,
      ]),
    });
    await write('household', {
      columns: [
        { name: 'id', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'commune_code', type: 'text' },
        { name: 'iris_code', type: 'text' },
        { name: 'tenure', type: 'text' },
        { name: 'home_id', type: 'text' },
        { name: 'persons_14_or_more', type: 'smallint' },
        { name: 'persons_under_14', type: 'smallint' },
        { name: 'reference_age', type: 'smallint' },
        { name: 'type', type: 'text' },
        { name: 'annual_disposable_income_eur', type: 'double precision' },
        { name: 'income_imputed', type: 'boolean' },
        { name: 'generated', type: 'boolean' },
      ],
      rows: population.households.map((h) => [
        h.id,
        h.epci,
        h.commune,
        h.iris,
        h.tenure,
        h.home,
        h.persons14OrMore,
        h.personsUnder14,
        h.referenceAge,
        h.type,
        h.annualDisposableIncomeEur,
        h.incomeImputed,
        h.generated,
      ]),
    });
    await write('demand', {
      columns: [...DEMAND_COLUMNS, { name: 'household_id', type: 'text' }],
      rows: population.demands.map((d) => [...demandRow(d), d.household]),
    });
    await write('lease', {
      columns: [
        { name: 'id', type: 'text' },
        { name: 'epci_code', type: 'text' },
        { name: 'home_id', type: 'text' },
        { name: 'household_id', type: 'text' },
        { name: 'sne_number', type: 'text' },
        { name: 'signed_on', type: 'date' },
        { name: 'reservation_holder_id', type: 'text' },
        { name: 'income_per_consumption_unit_eur', type: 'double precision' },
        { name: 'first_quartile_threshold_eur', type: 'double precision' },
        { name: 'first_quartile', type: 'boolean' },
        { name: 'urban_renewal_relocation', type: 'boolean' },
        { name: 'priority_public', type: 'boolean' },
        { name: 'dalo', type: 'boolean' },
        { name: 'transfer', type: 'boolean' },
        { name: 'generated', type: 'boolean' },
      ],
      rows: population.leases.map((l) => [
        l.id,
        epci,
        l.home,
        l.household,
        l.sneNumber,
        l.signedOn,
        l.reservationHolder,
        l.incomePerConsumptionUnitEur,
        l.firstQuartileThresholdEur,
        l.firstQuartile,
        l.urbanRenewalRelocation,
        l.priorityPublic,
        l.dalo,
        l.transfer,
        l.generated,
      ]),
    });
    await write('first_quartile_threshold', {
      key: ['epci_code', 'year'],
      columns: [
        { name: 'epci_code', type: 'text' },
        { name: 'year', type: 'smallint' },
        { name: 'computed_eur', type: 'double precision' },
        { name: 'demands', type: 'integer' },
      ],
      rows: population.firstQuartileThresholds.map((t) => [t.epci, t.year, t.eur, t.demands]),
    });
    await upsertDatasets(tx, epci, [
      {
        id: DEMO_POPULATION_DATASET,
        title: `Population de démonstration : ménages, parc social, demandes et baux (graine ${population.seed}, générateur ${population.generatorVersion})`,
        producer: 'Mosaïque (généré)',
        year: population.snapshotDate.slice(0, 4),
        licence: 'Licence Ouverte 2.0',
        generated: true,
      },
    ]);
    // Fresh statistics: PGlite never runs autovacuum, and joins over freshly loaded tables
    // otherwise get plans made for empty tables.
    await tx.exec('ANALYZE residence, home, household, demand, lease');
    return report;
  });
}

/** Number of generated households of an EPCI (0 before the demo population is loaded). */
export async function countHouseholds(db: Db, epci: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM household WHERE epci_code = $1',
    [epci],
  );
  return row?.n ?? 0;
}
