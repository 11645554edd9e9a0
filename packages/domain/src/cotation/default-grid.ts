/**
 * The default cotation grid of the demo territory, documented criterion by criterion in
 * docs/cotation.md. It is data (default-grid.json), validated on load like any grid an EPCI records.
 */
import json from './default-grid.json' with { type: 'json' };
import type { CotationGrid } from './grid.ts';
import { parseCotationGrid } from './validate-grid.ts';

export const DEFAULT_COTATION_GRID: CotationGrid = parseCotationGrid(json);
