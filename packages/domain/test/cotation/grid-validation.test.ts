import { describe, expect, it } from 'vitest';
import { DEFAULT_COTATION_GRID } from '../../src/cotation/default-grid.ts';
import { CotationGridError, parseCotationGrid } from '../../src/cotation/validate-grid.ts';

const clone = () => JSON.parse(JSON.stringify(DEFAULT_COTATION_GRID));
const messagesOf = (input: unknown): string[] => {
  try {
    parseCotationGrid(input);
  } catch (e) {
    if (e instanceof CotationGridError) return e.issues.map((i) => i.message);
    throw e;
  }
  return [];
};

describe('parseCotationGrid', () => {
  it('accepts the default grid, which has L441-1 priority criteria and every kind of criterion', () => {
    expect(messagesOf(clone())).toEqual([]);
    expect(DEFAULT_COTATION_GRID.criteria.some((c) => c.priority)).toBe(true);
    expect(new Set(DEFAULT_COTATION_GRID.criteria.map((c) => c.kind))).toEqual(
      new Set(['boolean', 'bands', 'duration']),
    );
  });

  it('names the criterion and the field of a wrong value, in French', () => {
    const g = clone();
    g.criteria[0].pointsPerMonth = -1;
    g.criteria[1].points = 'trente';
    expect(messagesOf(g)).toEqual([
      'critère « anciennete », champ « pointsPerMonth » : nombre strictement positif attendu, reçu -1',
      'critère « dalo », champ « points » : nombre attendu, reçu "trente"',
    ]);
  });

  it('refuses a grid without a criterion implementing the L441-1 priorities (CCH L441-2-8)', () => {
    const g = clone();
    for (const c of g.criteria) delete c.priority;
    expect(messagesOf(g)).toEqual([
      'grille : aucun critère ne met en œuvre les priorités de l’article L441-1 (au moins un critère « priority »: true, CCH L441-2-8)',
    ]);
  });

  it('refuses duplicate ids, unknown kinds, groups and facts', () => {
    const g = clone();
    g.criteria[2].id = 'dalo';
    g.criteria[3].kind = 'formula';
    g.criteria[4].group = 'inconnu';
    g.criteria[5].condition = { fact: 'salary' };
    g.criteria[6].condition = { fact: 'priority-criterion', value: 'rich' };
    const messages = messagesOf(g);
    expect(messages).toContain(
      'critère « dalo », champ « id » : identifiant unique (déjà utilisé) attendu, reçu "dalo"',
    );
    expect(messages).toContain(
      'critère « hebergement-temporaire », champ « kind » : "boolean", "bands" ou "duration" attendu, reçu "formula"',
    );
    expect(messages).toContain(
      'critère « logement-indigne », champ « group » : groupe déclaré dans « groups » (situation-logement, surpeuplement) attendu, reçu "inconnu"',
    );
    expect(
      messages.find((m) => m.startsWith('critère « heberge-tiers », champ « condition.fact »')),
    ).toBeDefined();
    expect(messages.find((m) => m.startsWith('critère « mal-loge », champ « condition.value »'))).toMatch(
      /un critère de priorité L441-1 parmi disability, .* reçu "rich"$/,
    );
  });

  it('refuses overlapping or inverted bands', () => {
    const g = clone();
    const bands = g.criteria.find((c: { kind: string }) => c.kind === 'bands');
    bands.bands = [
      { min: null, max: 8000, points: 6 },
      { min: 6000, max: 5000, points: 3 },
    ];
    expect(messagesOf(g)).toEqual([
      'critère « ressources-faibles », champ « bands[1].max » : nombre supérieur à min (6000) attendu, reçu 5000',
      'critère « ressources-faibles », champ « bands[1].min » : tranches croissantes sans chevauchement (min ≥ 8000) attendu, reçu 6000',
    ]);
  });

  it('checks the grid’s own fields: version, dates, groups without criteria', () => {
    const g = clone();
    g.version = 0;
    g.validFrom = '2026-13-01';
    g.groups.vide = 'Groupe vide';
    expect(messagesOf(g)).toEqual([
      'grille, champ « version » : entier supérieur ou égal à 1 attendu, reçu 0',
      'grille, champ « validFrom » : date AAAA-MM-JJ attendu, reçu "2026-13-01"',
      'grille : le groupe « vide » n’a aucun critère',
    ]);
  });

  it('names unknown fields, so that a misspelt one is not silently ignored', () => {
    const g = clone();
    g.criteria[2].groupe = 'situation-logement';
    g.auteur = 'moi';
    expect(messagesOf(g)).toEqual([
      'grille : champ « auteur » inconnu (id, version, label, validFrom, validUntil, source, groups, criteria)',
      'critère « sans-logement » : champ « groupe » inconnu pour un critère « boolean » (id, label, description, group, priority, kind, condition, points)',
    ]);
  });

  it('refuses what is not a grid at all', () => {
    expect(messagesOf(null)).toEqual(['la grille doit être un objet JSON']);
    expect(messagesOf({ ...clone(), criteria: [] })).toContain(
      'grille, champ « criteria » : liste non vide de critères attendu, reçu []',
    );
  });
});
