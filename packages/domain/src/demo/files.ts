/**
 * The demo population as files: one CSV per table (header first, comma-separated, snake_case
 * columns, `\n` line ends, lists joined by `|`, booleans `true`/`false`, money with two decimals
 * where it has cents) and a `manifest.json` (seed, generator version, counts, SHA-256 of each file).
 * Byte-stable: the same population gives the same bytes.
 */
import { csvLine } from '../shared/csv.ts';
import type { DemoPopulation } from './types.ts';

type Cell = string | number | boolean | null;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = csvLine(header);
  for (let k = 0; k < rows.length; k++) lines[k + 1] = csvLine(rows[k]!);
  return `${lines.join('\n')}\n`;
}

const cents = (x: number): string => x.toFixed(2);
const list = (values: readonly (string | number)[]): string => values.join('|');

/** File names in the order they are written and listed in the manifest. */
export const DEMO_FILES = [
  'landlords.csv',
  'reservation_holders.csv',
  'residences.csv',
  'homes.csv',
  'households.csv',
  'demands.csv',
  'leases.csv',
  'first_quartile_thresholds.csv',
] as const;

export const DEMO_MANIFEST = 'manifest.json';

/**
 * The CSV texts and the manifest. `sha256` hashes a file's text (UTF-8) to lowercase hex; the
 * caller provides it (node:crypto in the CLI) so the domain stays free of I/O and platform APIs.
 */
export function demoPopulationFiles(
  population: DemoPopulation,
  sha256: (text: string) => string,
): Record<string, string> {
  const residenceById = new Map(population.residences.map((r) => [r.id, r]));
  const occupied = new Set<string>();
  for (const h of population.households) if (h.home) occupied.add(h.home);
  const mix = new Map<string, { PLAI: number; PLUS: number; PLS: number; PLI: number; homes: number }>();
  for (const h of population.homes) {
    const m = mix.get(h.residence) ?? { PLAI: 0, PLUS: 0, PLS: 0, PLI: 0, homes: 0 };
    m[h.financing]++;
    m.homes++;
    mix.set(h.residence, m);
  }

  const files: Record<string, string> = {
    'landlords.csv': table(
      ['landlord_id', 'name', 'generated'],
      population.landlords.map((l) => [l.id, l.name, l.generated]),
    ),
    'reservation_holders.csv': table(
      ['reservation_holder_id', 'name', 'kind', 'commune', 'generated'],
      population.reservationHolders.map((r) => [r.id, r.name, r.kind, r.commune, true]),
    ),
    'residences.csv': table(
      [
        'residence_id',
        'epci',
        'landlord_id',
        'name',
        'commune',
        'iris',
        'qpv',
        'longitude',
        'latitude',
        'construction_year',
        'homes',
        'homes_plai',
        'homes_plus',
        'homes_pls',
        'homes_pli',
        'generated',
      ],
      population.residences.map((r) => {
        const m = mix.get(r.id) ?? { PLAI: 0, PLUS: 0, PLS: 0, PLI: 0, homes: 0 };
        return [
          r.id,
          r.epci,
          r.landlord,
          r.name,
          r.commune,
          r.iris,
          r.qpv,
          r.longitude.toFixed(6),
          r.latitude.toFixed(6),
          r.constructionYear,
          m.homes,
          m.PLAI,
          m.PLUS,
          m.PLS,
          m.PLI,
          r.generated,
        ];
      }),
    ),
    'homes.csv': table(
      [
        'home_id',
        'residence_id',
        'commune',
        'iris',
        'qpv',
        'typology',
        'surface_m2',
        'floor',
        'lift',
        'accessible',
        'financing',
        'rent_eur',
        'charges_eur',
        'reservation_holder_id',
        'occupied',
        'generated',
      ],
      population.homes.map((h) => {
        const r = residenceById.get(h.residence)!;
        return [
          h.id,
          h.residence,
          r.commune,
          r.iris,
          r.qpv,
          h.typology,
          h.surfaceM2,
          h.floor,
          h.lift,
          h.accessible,
          h.financing,
          cents(h.rentEur),
          cents(h.chargesEur),
          h.reservationHolder,
          occupied.has(h.id),
          h.generated,
        ];
      }),
    ),
    'households.csv': table(
      [
        'household_id',
        'epci',
        'commune',
        'iris',
        'tenure',
        'home_id',
        'persons_14_or_more',
        'persons_under_14',
        'reference_age',
        'household_type',
        'annual_disposable_income_eur',
        'income_imputed',
        'generated',
      ],
      population.households.map((h) => [
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
    ),
    'demands.csv': table(
      [
        'sne_number',
        'epci',
        'household_id',
        'registered_on',
        'applicant_birth_date',
        'household_type',
        'persons_14_or_more',
        'persons_under_14',
        'monthly_resources_eur',
        'reference_tax_income_eur',
        'current_housing',
        'current_commune',
        'reasons',
        'desired_communes',
        'desired_typologies',
        'max_rent_eur',
        'priority_criteria',
        'dalo',
        'urban_renewal_relocation',
        'current_social_tenant',
        'wheelchair_access',
        'status',
        'closed_on',
        'generated',
      ],
      population.demands.map((d) => [
        d.sneNumber,
        d.epci,
        d.household,
        d.registeredOn,
        d.applicantBirthDate,
        d.householdType,
        d.persons14OrMore,
        d.personsUnder14,
        d.monthlyResourcesEur,
        d.referenceTaxIncomeEur,
        d.currentHousing,
        d.currentCommune,
        list(d.reasons),
        list(d.desiredCommunes),
        list(d.desiredTypologies),
        d.maxRentEur,
        list(d.priorityCriteria),
        d.dalo,
        d.urbanRenewalRelocation,
        d.currentSocialTenant,
        d.wheelchairAccess,
        d.status,
        d.closedOn,
        d.generated,
      ]),
    ),
    'leases.csv': table(
      [
        'lease_id',
        'home_id',
        'household_id',
        'sne_number',
        'signed_on',
        'reservation_holder_id',
        'income_per_consumption_unit_eur',
        'first_quartile_threshold_eur',
        'first_quartile',
        'urban_renewal_relocation',
        'priority_public',
        'dalo',
        'transfer',
        'generated',
      ],
      population.leases.map((l) => [
        l.id,
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
    ),
    'first_quartile_thresholds.csv': table(
      ['epci', 'year', 'threshold_eur', 'demands', 'generated'],
      population.firstQuartileThresholds.map((t) => [t.epci, t.year, t.eur, t.demands, true]),
    ),
  };

  const rows: Record<string, number> = {
    'landlords.csv': population.landlords.length,
    'reservation_holders.csv': population.reservationHolders.length,
    'residences.csv': population.residences.length,
    'homes.csv': population.homes.length,
    'households.csv': population.households.length,
    'demands.csv': population.demands.length,
    'leases.csv': population.leases.length,
    'first_quartile_thresholds.csv': population.firstQuartileThresholds.length,
  };
  const manifest = {
    generator: 'mosaique demo generate',
    generatorVersion: population.generatorVersion,
    seed: population.seed,
    epci: population.epci,
    snapshotDate: population.snapshotDate,
    incomeYear: population.incomeYear,
    generated: true,
    notice:
      'Population générée (fictive) : aucun ménage, demande ou bail réel. Voir docs/demo-population.md.',
    files: Object.fromEntries(
      DEMO_FILES.map((name) => [name, { rows: rows[name]!, sha256: sha256(files[name]!) }]),
    ),
  };
  files[DEMO_MANIFEST] = `${JSON.stringify(manifest, null, 2)}\n`;
  return files;
}
