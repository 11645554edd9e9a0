import { type Dated, valueOn } from '../shared/dated.ts';

/** Weights of an equivalence scale: consumption units of a household. */
export interface ConsumptionUnitScale {
  firstPerson: number;
  /** Each other person aged 14 or more. */
  otherPerson14OrMore: number;
  /** Each person under 14. */
  personUnder14: number;
}

/**
 * Scales in force. The OECD-modified scale is INSEE's reference (1 · 0.5 · 0.3); whether the
 * national register (SNE) uses it for the first-quartile threshold is uncertain (docs/rules.md §1),
 * so the scale is data: an EPCI can record another one from a date.
 */
export const CONSUMPTION_UNIT_SCALES: readonly Dated<ConsumptionUnitScale>[] = [
  {
    validFrom: '1900-01-01',
    validUntil: null,
    source: 'Échelle de l’OCDE modifiée (INSEE)',
    value: { firstPerson: 1, otherPerson14OrMore: 0.5, personUnder14: 0.3 },
  },
];

/** Consumption units of a household with at least one person aged 14 or more. */
export function consumptionUnits(
  persons14OrMore: number,
  personsUnder14: number,
  scale: ConsumptionUnitScale = CONSUMPTION_UNIT_SCALES[0]!.value,
): number {
  if (persons14OrMore < 1) throw new Error('un ménage compte au moins une personne de 14 ans ou plus');
  return (
    scale.firstPerson +
    scale.otherPerson14OrMore * (persons14OrMore - 1) +
    scale.personUnder14 * personsUnder14
  );
}

/** The scale in force on an ISO date. */
export function consumptionUnitScaleOn(date: string): ConsumptionUnitScale {
  return valueOn('échelle d’unités de consommation', CONSUMPTION_UNIT_SCALES, date).value;
}
