import type { Criterion, Measure } from '@mosaique/domain/cotation';

const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const points = (p: number) => `${number.format(p)} point${Math.abs(p) >= 2 ? 's' : ''}`;

const MEASURES: Record<Measure, string> = {
  'income-per-consumption-unit': 'revenu annuel par unité de consommation (€)',
  persons: 'nombre de personnes',
  'persons-under-14': 'nombre d’enfants de moins de 14 ans',
  'applicant-age': 'âge du demandeur',
};

/** How a criterion earns its points, in French, for the public grid and the applicant's page. */
export function criterionRule(c: Criterion): string {
  switch (c.kind) {
    case 'boolean':
      return points(c.points);
    case 'duration':
      return `${points(c.pointsPerMonth)} par mois d’ancienneté, ${points(c.maxPoints)} au plus`;
    case 'bands':
      return `selon le ${MEASURES[c.measure]} : ${c.bands
        .map((b) => {
          const range =
            b.min === null
              ? `moins de ${number.format(b.max!)}`
              : b.max === null
                ? `${number.format(b.min)} ou plus`
                : `de ${number.format(b.min)} à moins de ${number.format(b.max)}`;
          return `${range} → ${points(b.points)}`;
        })
        .join(' ; ')}`;
  }
}
