import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FILES, DEMO_MANIFEST, demoPopulationFiles } from '../../src/demo/files.ts';
import { generateDemoPopulation } from '../../src/demo/generate.ts';
import type { TerritoryData } from '../../src/territory/types.ts';
import { loadDemoTerritory } from './territory.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
let territory: TerritoryData;
let first: Record<string, string>;
let population: ReturnType<typeof generateDemoPopulation>;

beforeAll(() => {
  territory = loadDemoTerritory();
  population = generateDemoPopulation(territory, { seed: 42 });
  first = demoPopulationFiles(population, sha256);
});

describe('demo population reproducibility', () => {
  it('gives byte-identical files for the same seed and different files for another seed', () => {
    const second = demoPopulationFiles(generateDemoPopulation(territory, { seed: 42 }), sha256);
    expect(Object.keys(first).sort()).toEqual([...DEMO_FILES, DEMO_MANIFEST].sort());
    for (const name of Object.keys(first)) expect(second[name] === first[name], name).toBe(true);
    // Another seed: other incomes, other register, other lettings (compared on the records, which the
    // files are a function of).
    const other = generateDemoPopulation(territory, { seed: 43 });
    const differs = <T>(a: T[], b: T[], key: (x: T) => unknown) =>
      a.some((x, i) => key(x) !== key(b[i] ?? x));
    expect(differs(other.households, population.households, (h) => h.annualDisposableIncomeEur)).toBe(true);
    expect(differs(other.demands, population.demands, (d) => d.registeredOn)).toBe(true);
    expect(differs(other.leases, population.leases, (l) => l.home)).toBe(true);
    expect(differs(other.residences, population.residences, (r) => r.longitude)).toBe(true);
  });

  it('writes a manifest with the seed, the generator version, the counts and the SHA-256 of each file', () => {
    const files = first;
    const manifest = JSON.parse(files[DEMO_MANIFEST]!);
    expect(manifest.seed).toBe(42);
    expect(manifest.generatorVersion).toBe(population.generatorVersion);
    expect(manifest.generated).toBe(true);
    for (const name of DEMO_FILES) {
      const lines = files[name]!.split('\n');
      expect(lines.at(-1)).toBe('');
      expect(manifest.files[name].rows).toBe(lines.length - 2);
      expect(manifest.files[name].sha256).toBe(sha256(files[name]!));
    }
    const header = files['households.csv']!.split('\n', 1)[0]!.split(',');
    for (const column of [
      'household_id',
      'iris',
      'commune',
      'tenure',
      'persons_14_or_more',
      'persons_under_14',
      'annual_disposable_income_eur',
    ]) {
      expect(header).toContain(column);
    }
    expect(header[0]).toBe('household_id');
  });
});
