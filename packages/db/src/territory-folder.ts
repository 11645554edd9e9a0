import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ImportError } from '@mosaique/domain/shared/import-error.ts';
import {
  parseTerritory,
  parseTerritoryManifest,
  TERRITORY_MANIFEST,
  type TerritoryData,
} from '@mosaique/domain/territory';

/** Folder of the demo territory shipped with Mosaïque (real open data, see its README). */
export const DEMO_TERRITORY_DIR = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../../data/demo/grenoble-alpes-metropole',
);

/** Reads and validates a territory folder (its `territory.json` and the files it names). */
export async function readTerritoryFolder(dir: string): Promise<TerritoryData> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new ImportError([{ file: dir, rule: 'dossier introuvable' }]);
  }
  if (!names.includes(TERRITORY_MANIFEST)) {
    throw new ImportError([
      { file: path.join(dir, TERRITORY_MANIFEST), rule: 'manifeste du territoire introuvable' },
    ]);
  }
  const manifest = parseTerritoryManifest(await readFile(path.join(dir, TERRITORY_MANIFEST), 'utf8'));
  const wanted = Object.values(manifest.files).filter((f): f is string => typeof f === 'string');
  const files: Record<string, string> = {};
  for (const name of wanted) {
    if (names.includes(name)) files[name] = await readFile(path.join(dir, name), 'utf8');
  }
  return parseTerritory(manifest, files);
}
