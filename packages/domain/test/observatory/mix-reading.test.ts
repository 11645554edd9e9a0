import { describe, expect, it } from 'vitest';
import {
  ipsSegregation,
  type MixReadingInput,
  mixReading,
  schoolSegregationRows,
} from '../../src/observatory/index.ts';

const base: MixReadingInput = {
  variable: 'income-quartile',
  population: 'households',
  scale: 'iris',
  year: null,
  M: 0.064,
  H: 0.046,
  decomposition: [
    { level: 'commune', M: 0.0216, share: 0.34 },
    { level: 'iris', M: 0.0424, share: 0.66 },
  ],
  expectedM: 0.0014,
  approximate: false,
};

describe('reading of a figure in French', () => {
  it('says which of two levels separates the groups more, with elision', () => {
    expect(mixReading(base)).toEqual([
      'Le revenu sépare davantage les ménages entre IRIS d’une même commune (66\u00a0% de M) qu’entre communes (34\u00a0% de M).',
      'Au total, M = 0,064 et H = 4,6\u00a0%\u00a0: connaître l’IRIS d’un ménage réduit de 4,6\u00a0% l’incertitude sur son quartile de revenu (H).',
    ]);
  });

  it('says « à peu près autant » when the two terms are within ten points', () => {
    const reading = mixReading({
      ...base,
      decomposition: [
        { level: 'commune', M: 0.03, share: 0.47 },
        { level: 'iris', M: 0.034, share: 0.53 },
      ],
    });
    expect(reading[0]).toMatch(
      /^Le revenu sépare à peu près autant les ménages entre IRIS .* qu’entre communes/,
    );
  });

  it('orders three levels, names the population of lettings with its year, and warns about small units', () => {
    const reading = mixReading({
      ...base,
      variable: 'age-band',
      population: 'lettings',
      year: 2024,
      scale: 'residence',
      M: 0.44,
      H: 0.31,
      decomposition: [
        { level: 'commune', M: 0.018, share: 0.04 },
        { level: 'iris', M: 0.075, share: 0.17 },
        { level: 'residence', M: 0.35, share: 0.79 },
      ],
      expectedM: 0.3,
    });
    expect(reading[0]).toBe(
      'L’âge sépare surtout les ménages logés en 2024 entre résidences d’un même IRIS (79\u00a0% de M), ' +
        'puis entre IRIS d’une même commune (17\u00a0% de M) et entre communes (4\u00a0% de M).',
    );
    expect(reading[2]).toBe(
      'À cette échelle, une répartition au hasard des ménages donnerait déjà M ≈ 0,3, soit 68\u00a0% de la valeur ' +
        'observée\u00a0: une part de l’écart entre résidences tient à leur petite taille.',
    );
  });

  it('explains H alone at the commune scale, and says when M is no larger than chance', () => {
    const reading = mixReading({
      ...base,
      variable: 'tenure',
      scale: 'commune',
      decomposition: [{ level: 'commune', M: 0.044, share: 1 }],
      M: 0.044,
      H: 0.042,
      expectedM: 0.05,
    });
    expect(reading[0]).toBe(
      'Le statut d’occupation sépare les ménages entre communes\u00a0: connaître la commune d’un ménage réduit de ' +
        '4,2\u00a0% l’incertitude sur son statut d’occupation (H).',
    );
    expect(reading[1]).toContain('rien ne permet de conclure');
  });
});

describe('school segregation by commune and year', () => {
  const college = (uai: string, commune: string, pupils: number, ips: number, sd: number) => ({
    uai,
    name: `Collège ${uai}`,
    level: 'college' as const,
    commune,
    communeName: commune === '38185' ? 'Grenoble' : 'Échirolles',
    years: [{ schoolYear: '2022-2023', pupils, ips, ipsStandardDeviation: sd }],
  });
  const ecole = (uai: string, ips: number | null) => ({
    uai,
    name: `École ${uai}`,
    level: 'ecole' as const,
    commune: '38185',
    communeName: 'Grenoble',
    years: [{ schoolYear: '2023-2024', pupils: null, ips, ipsStandardDeviation: null }],
  });

  it('gives η² per commune for collèges, null for a commune with one collège, and the EPCI as a whole', () => {
    const schools = [
      college('A', '38185', 400, 90, 20),
      college('B', '38185', 600, 130, 25),
      college('C', '38151', 500, 100, 22),
    ];
    const rows = schoolSegregationRows(schools);
    const grenoble = rows.find((r) => r.commune === '38185')!;
    const expected = ipsSegregation([
      { pupils: 400, meanIps: 90, sdIps: 20 },
      { pupils: 600, meanIps: 130, sdIps: 25 },
    ]);
    // Hand check: mean 114, between (400·24² + 600·16²)/1000 = 384, within (400·400 + 600·625)/1000 = 535.
    expect(expected.eta2).toBeCloseTo(384 / (384 + 535), 12);
    expect(grenoble).toMatchObject({ schools: 2, pupils: 1000, meanIps: 114, eta2: expected.eta2 });
    expect(rows.find((r) => r.commune === '38151')).toMatchObject({ schools: 1, eta2: null, ipsSpread: 0 });
    expect(rows[0]).toMatchObject({
      commune: null,
      communeName: 'Ensemble de l’EPCI',
      schools: 3,
      pupils: 1500,
    });
  });

  it('gives écoles only the spread of their IPS: neither pupils nor σ are published', () => {
    const rows = schoolSegregationRows([ecole('E1', 100), ecole('E2', 120), ecole('E3', null)]);
    const grenoble = rows.find((r) => r.commune === '38185')!;
    expect(grenoble).toMatchObject({
      schools: 2,
      pupils: null,
      meanIps: 110,
      eta2: null,
      betweenVariance: null,
    });
    expect(grenoble.ipsSpread).toBeCloseTo(Math.SQRT2 * 10, 12);
  });
});
