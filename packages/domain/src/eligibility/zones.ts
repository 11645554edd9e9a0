/**
 * Geographic zones that select an income ceiling. PLUS, PLAI and PLS ceilings are set for three
 * areas (arrêté du 29 juillet 1987, annexe; CCH R441-1): Paris and its adjacent communes, the rest
 * of Île-de-France, the other regions. PLI ceilings follow the A/B/C zoning (CCH R391-2 ; arrêté du
 * 1er août 2014 modifié). Which commune lies in which zone is data, not code.
 */
import { DEMO_TERRITORY_COMMUNES } from './demo-territory-communes.ts';

export type CeilingArea = 'paris-adjacent' | 'rest-of-ile-de-france' | 'other-regions';
export const CEILING_AREAS: readonly CeilingArea[] = [
  'paris-adjacent',
  'rest-of-ile-de-france',
  'other-regions',
];

/** Zones of the A/B/C zoning grouped as the PLI ceilings group them. */
export type PliZone = 'A-bis-A' | 'B1' | 'B2-C';
export const PLI_ZONES: readonly PliZone[] = ['A-bis-A', 'B1', 'B2-C'];

/** How the ceilings' zones are named in the sentences shown to users. */
export const CEILING_AREA_LABELS: Readonly<Record<CeilingArea, string>> = {
  'paris-adjacent': 'Paris et communes limitrophes',
  'rest-of-ile-de-france': 'reste de l’Île-de-France',
  'other-regions': 'autres régions',
};
export const PLI_ZONE_LABELS: Readonly<Record<PliZone, string>> = {
  'A-bis-A': 'zone A bis / A',
  B1: 'zone B1',
  'B2-C': 'zone B2 / C',
};

export interface CommuneZoning {
  area: CeilingArea;
  pliZone: PliZone;
  /** Where the classification comes from, or the assumption it is. */
  source: string;
}

/** Zoning of communes by INSEE code. */
export type ZoningTable = ReadonlyMap<string, CommuneZoning>;

const DEMO_ZONING: CommuneZoning = {
  area: 'other-regions',
  pliZone: 'B1',
  source:
    'Hypothèse : communes de Grenoble-Alpes Métropole en « autres régions » (hors Île-de-France) et en zone B1 ' +
    'pour le PLI ; le zonage A/B/C réel classe certaines communes périphériques en B2 ou C, à vérifier',
};

/** Zoning of the demo territory's 49 communes (Grenoble-Alpes Métropole, EPCI 200040715). */
export const DEMO_TERRITORY_ZONING: ZoningTable = new Map(
  DEMO_TERRITORY_COMMUNES.map((code) => [code, DEMO_ZONING]),
);

/** The zoning of a commune, or an error naming it. */
export function zoningOf(commune: string, table: ZoningTable = DEMO_TERRITORY_ZONING): CommuneZoning {
  const zoning = table.get(commune);
  if (!zoning) throw new Error(`commune ${commune} absente du zonage des plafonds de ressources`);
  return zoning;
}
