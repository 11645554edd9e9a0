/**
 * Validation of a cotation grid read from JSON: every error names the criterion and the field, in
 * French, so that whoever edits the grid can fix it. The grid must contain at least one criterion
 * implementing the L441-1 priorities (CCH L441-2-8).
 */
import type { PriorityCriterion } from '../demand/types.ts';
import type { Band, CotationGrid, Measure } from './grid.ts';

export interface GridIssue {
  /** Criterion id (or its position when it has none); null for the grid's own fields. */
  criterion: string | null;
  field: string;
  message: string;
}

export class CotationGridError extends Error {
  constructor(readonly issues: GridIssue[]) {
    super(`grille de cotation invalide :\n${issues.map((i) => `- ${i.message}`).join('\n')}`);
    this.name = 'CotationGridError';
  }
}

const PRIORITY_CRITERIA: readonly PriorityCriterion[] = [
  'disability',
  'poorly-housed',
  'hosted-or-temporary',
  'return-to-work',
  'unfit-housing',
  'domestic-violence',
  'overcrowded-with-minors',
  'homeless',
  'eviction-threat',
  'prostitution-exit',
  'child-welfare-leaver',
];
const CURRENT_HOUSING = [
  'social-tenant',
  'private-tenant',
  'owner',
  'hosted-by-family',
  'hosted-by-third-party',
  'temporary-housing',
  'homeless',
  'other',
];
const HOUSEHOLD_TYPES = ['single', 'couple', 'single-parent', 'couple-with-children', 'other'];
const MEASURES: readonly Measure[] = [
  'income-per-consumption-unit',
  'persons',
  'persons-under-14',
  'applicant-age',
];
const FLAG_FACTS = [
  'any-priority-criterion',
  'dalo',
  'urban-renewal-relocation',
  'social-tenant',
  'wheelchair-access',
];
const GRID_FIELDS = ['id', 'version', 'label', 'validFrom', 'validUntil', 'source', 'groups', 'criteria'];
const COMMON_FIELDS = ['id', 'label', 'description', 'group', 'priority', 'kind'];
const CRITERION_FIELDS: Record<string, readonly string[]> = {
  boolean: ['condition', 'points'],
  bands: ['measure', 'bands'],
  duration: ['from', 'pointsPerMonth', 'maxPoints'],
};
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const shown = (v: unknown) => (v === undefined ? 'rien' : JSON.stringify(v));
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a grid read from JSON and returns it typed, or throws a CotationGridError listing every issue. */
export function parseCotationGrid(input: unknown): CotationGrid {
  const issues: GridIssue[] = [];
  const gridIssue = (field: string, expected: string, value: unknown) =>
    issues.push({
      criterion: null,
      field,
      message: `grille, champ « ${field} » : ${expected} attendu, reçu ${shown(value)}`,
    });
  if (!isRecord(input))
    throw new CotationGridError([
      { criterion: null, field: '', message: 'la grille doit être un objet JSON' },
    ]);
  const g = input;
  if (typeof g.id !== 'string' || !ID.test(g.id))
    gridIssue('id', 'identifiant en minuscules et tirets', g.id);
  if (typeof g.version !== 'number' || !Number.isInteger(g.version) || g.version < 1)
    gridIssue('version', 'entier supérieur ou égal à 1', g.version);
  if (typeof g.label !== 'string' || g.label.trim() === '') gridIssue('label', 'libellé non vide', g.label);
  if (typeof g.source !== 'string') gridIssue('source', 'texte', g.source);
  if (typeof g.validFrom !== 'string' || !ISO_DATE.test(g.validFrom))
    gridIssue('validFrom', 'date AAAA-MM-JJ', g.validFrom);
  if (g.validUntil !== null && (typeof g.validUntil !== 'string' || !ISO_DATE.test(g.validUntil)))
    gridIssue('validUntil', 'date AAAA-MM-JJ ou null', g.validUntil);
  else if (typeof g.validUntil === 'string' && typeof g.validFrom === 'string' && g.validUntil < g.validFrom)
    gridIssue('validUntil', `date postérieure ou égale à validFrom (${g.validFrom})`, g.validUntil);
  for (const key of Object.keys(g))
    if (!GRID_FIELDS.includes(key))
      issues.push({
        criterion: null,
        field: key,
        message: `grille : champ « ${key} » inconnu (${GRID_FIELDS.join(', ')})`,
      });
  const groups = isRecord(g.groups) ? g.groups : null;
  if (!groups) gridIssue('groups', 'objet { identifiant: libellé }', g.groups);
  else
    for (const [id, label] of Object.entries(groups))
      if (typeof label !== 'string' || label.trim() === '')
        gridIssue(`groups.${id}`, 'libellé non vide', label);

  if (!Array.isArray(g.criteria) || g.criteria.length === 0) {
    gridIssue('criteria', 'liste non vide de critères', g.criteria);
    throw new CotationGridError(issues);
  }
  const seen = new Set<string>();
  const usedGroups = new Set<string>();
  let priorities = 0;
  g.criteria.forEach((raw: unknown, index: number) => {
    const name = isRecord(raw) && typeof raw.id === 'string' && raw.id !== '' ? raw.id : `n° ${index + 1}`;
    const issue = (field: string, expected: string, value: unknown) =>
      issues.push({
        criterion: name,
        field,
        message: `critère « ${name} », champ « ${field} » : ${expected} attendu, reçu ${shown(value)}`,
      });
    if (!isRecord(raw)) {
      issue('', 'objet', raw);
      return;
    }
    const c = raw;
    if (typeof c.id !== 'string' || !ID.test(c.id)) issue('id', 'identifiant en minuscules et tirets', c.id);
    else if (seen.has(c.id)) issue('id', 'identifiant unique (déjà utilisé)', c.id);
    else seen.add(c.id);
    if (typeof c.label !== 'string' || c.label.trim() === '') issue('label', 'libellé non vide', c.label);
    if (c.description !== undefined && typeof c.description !== 'string')
      issue('description', 'texte', c.description);
    if (c.priority !== undefined && typeof c.priority !== 'boolean')
      issue('priority', 'true ou false', c.priority);
    if (c.priority === true) priorities++;
    if (c.group !== undefined && c.group !== null) {
      if (typeof c.group !== 'string' || !groups || !(c.group in groups))
        issue(
          'group',
          `groupe déclaré dans « groups » (${groups ? Object.keys(groups).join(', ') : 'aucun'})`,
          c.group,
        );
      else usedGroups.add(c.group);
    }
    const known = CRITERION_FIELDS[c.kind as string];
    if (known)
      for (const key of Object.keys(c))
        if (!COMMON_FIELDS.includes(key) && !known.includes(key))
          issues.push({
            criterion: name,
            field: key,
            message: `critère « ${name} » : champ « ${key} » inconnu pour un critère « ${c.kind} » (${[...COMMON_FIELDS, ...known].join(', ')})`,
          });
    switch (c.kind) {
      case 'boolean':
        if (!isFiniteNumber(c.points)) issue('points', 'nombre', c.points);
        checkCondition(c.condition, 'condition', issue);
        break;
      case 'bands':
        if (!MEASURES.includes(c.measure as Measure))
          issue('measure', `une mesure parmi ${MEASURES.join(', ')}`, c.measure);
        checkBands(c.bands, issue);
        break;
      case 'duration':
        if (c.from !== 'registration') issue('from', '"registration"', c.from);
        if (!isFiniteNumber(c.pointsPerMonth) || c.pointsPerMonth <= 0)
          issue('pointsPerMonth', 'nombre strictement positif', c.pointsPerMonth);
        if (!isFiniteNumber(c.maxPoints) || c.maxPoints < 0)
          issue('maxPoints', 'nombre positif ou nul', c.maxPoints);
        break;
      default:
        issue('kind', '"boolean", "bands" ou "duration"', c.kind);
    }
  });
  if (priorities === 0)
    issues.push({
      criterion: null,
      field: 'criteria',
      message:
        'grille : aucun critère ne met en œuvre les priorités de l’article L441-1 (au moins un critère « priority »: true, CCH L441-2-8)',
    });
  if (groups)
    for (const id of Object.keys(groups))
      if (!usedGroups.has(id))
        issues.push({
          criterion: null,
          field: `groups.${id}`,
          message: `grille : le groupe « ${id} » n’a aucun critère`,
        });
  if (issues.length > 0) throw new CotationGridError(issues);
  return input as unknown as CotationGrid;
}

function checkBands(bands: unknown, issue: (field: string, expected: string, value: unknown) => void): void {
  if (!Array.isArray(bands) || bands.length === 0) {
    issue('bands', 'liste non vide de tranches { min, max, points }', bands);
    return;
  }
  let previousMax: number | null | undefined;
  bands.forEach((raw: unknown, k: number) => {
    const field = `bands[${k}]`;
    if (!isRecord(raw)) {
      issue(field, 'objet { min, max, points }', raw);
      return;
    }
    const b = raw as Partial<Band>;
    if (b.min !== null && !isFiniteNumber(b.min)) issue(`${field}.min`, 'nombre ou null', b.min);
    if (b.max !== null && !isFiniteNumber(b.max)) issue(`${field}.max`, 'nombre ou null', b.max);
    if (!isFiniteNumber(b.points)) issue(`${field}.points`, 'nombre', b.points);
    if (isFiniteNumber(b.min) && isFiniteNumber(b.max) && b.min >= b.max)
      issue(`${field}.max`, `nombre supérieur à min (${b.min})`, b.max);
    if (k > 0) {
      if (
        b.min === null ||
        previousMax === null ||
        (isFiniteNumber(b.min) && isFiniteNumber(previousMax) && b.min < previousMax)
      )
        issue(`${field}.min`, `tranches croissantes sans chevauchement (min ≥ ${shown(previousMax)})`, b.min);
    }
    previousMax = b.max;
  });
}

function checkCondition(
  raw: unknown,
  field: string,
  issue: (field: string, expected: string, value: unknown) => void,
): void {
  if (!isRecord(raw)) {
    issue(field, 'condition { fact, value } ou { all | any | not }', raw);
    return;
  }
  const c = raw as Record<string, unknown>;
  if ('all' in c || 'any' in c) {
    const list = c.all ?? c.any;
    const key = 'all' in c ? 'all' : 'any';
    if (!Array.isArray(list) || list.length === 0)
      issue(`${field}.${key}`, 'liste non vide de conditions', list);
    else
      list.forEach((sub: unknown, k: number) => {
        checkCondition(sub, `${field}.${key}[${k}]`, issue);
      });
    return;
  }
  if ('not' in c) {
    checkCondition(c.not, `${field}.not`, issue);
    return;
  }
  switch (c.fact) {
    case 'priority-criterion':
      if (!PRIORITY_CRITERIA.includes(c.value as PriorityCriterion))
        issue(
          `${field}.value`,
          `un critère de priorité L441-1 parmi ${PRIORITY_CRITERIA.join(', ')}`,
          c.value,
        );
      return;
    case 'reason':
      if (typeof c.value !== 'string' || c.value === '')
        issue(`${field}.value`, 'code de motif non vide', c.value);
      return;
    case 'current-housing':
      if (!CURRENT_HOUSING.includes(c.value as string))
        issue(`${field}.value`, `un logement actuel parmi ${CURRENT_HOUSING.join(', ')}`, c.value);
      return;
    case 'household-type':
      if (!HOUSEHOLD_TYPES.includes(c.value as string))
        issue(`${field}.value`, `un type de ménage parmi ${HOUSEHOLD_TYPES.join(', ')}`, c.value);
      return;
    default:
      if (!FLAG_FACTS.includes(c.fact as string))
        issue(
          `${field}.fact`,
          `un fait parmi priority-criterion, reason, current-housing, household-type, ${FLAG_FACTS.join(', ')}`,
          c.fact,
        );
  }
}

/** Type guard for callers that already hold a typed grid (e.g. built in code): validates it too. */
export function assertValidGrid(grid: CotationGrid): CotationGrid {
  return parseCotationGrid(grid as unknown);
}
