import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTerritory, parseTerritoryManifest, type TerritoryData } from '../../src/territory/index.ts';

/** The demo territory (Grenoble-Alpes Métropole, real open data), read as the territory import reads it. */
export const DEMO_TERRITORY = path.resolve(
  import.meta.dirname,
  '../../../../data/demo/grenoble-alpes-metropole',
);

export function loadDemoTerritory(): TerritoryData {
  const files = Object.fromEntries(
    readdirSync(DEMO_TERRITORY).map((f) => [f, readFileSync(path.join(DEMO_TERRITORY, f), 'utf8')]),
  );
  return parseTerritory(parseTerritoryManifest(files['territory.json']!), files);
}
