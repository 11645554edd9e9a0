import type { MixLevel, MixPopulation, MixScale, MixVariable } from './mix-groups.ts';

/**
 * The reading of an observatory figure in French, generated from the nested decomposition of M:
 * which level separates the groups most (« Le revenu sépare davantage les ménages entre IRIS d’une
 * même commune qu’entre communes »), what H means for this table, and the caveats (small units
 * biasing M upward, QPV approximated by IRIS).
 */
export interface MixReadingInput {
  readonly variable: MixVariable;
  readonly population: MixPopulation;
  readonly scale: MixScale;
  readonly year: number | null;
  readonly M: number;
  readonly H: number;
  /** Terms outermost first, with their share of M. */
  readonly decomposition: readonly { readonly level: MixLevel; readonly M: number; readonly share: number }[];
  /** Mean M of tables drawn with no segregation (same unit sizes). */
  readonly expectedM: number;
  readonly approximate: boolean;
}

const SUBJECT: Record<MixVariable, string> = {
  'income-quartile': 'Le revenu',
  'household-type': 'Le type de ménage',
  'age-band': 'L’âge',
  tenure: 'Le statut d’occupation',
};

const GROUP_OF_MEMBER: Record<MixVariable, string> = {
  'income-quartile': 'son quartile de revenu',
  'household-type': 'son type',
  'age-band': 'l’âge de sa personne de référence',
  tenure: 'son statut d’occupation',
};

/** Where the groups are separated, for each level of the decomposition. */
const BETWEEN: Record<MixLevel, string> = {
  commune: 'entre communes',
  iris: 'entre IRIS d’une même commune',
  residence: 'entre résidences d’un même IRIS',
  'qpv-status': 'entre QPV et hors QPV',
  qpv: 'd’un QPV à l’autre',
};

const UNIT_OF: Record<MixScale, string> = {
  commune: 'la commune',
  iris: 'l’IRIS',
  residence: 'la résidence',
  qpv: 'le QPV (ou le fait d’habiter hors QPV)',
};

const UNITS: Record<MixScale, string> = {
  commune: 'communes',
  iris: 'IRIS',
  residence: 'résidences',
  qpv: 'QPV',
};

const decimal = new Intl.NumberFormat('fr-FR', { maximumSignificantDigits: 2 });
const percent = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const percentOneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** M in nats, two significant digits (« 0,042 »). */
export function formatIndex(value: number): string {
  return decimal.format(value);
}

/** A share as a French percentage (« 58 % », with a no-break space). */
export function formatShare(share: number, oneDecimal = false): string {
  return `${(oneDecimal ? percentOneDecimal : percent).format(share * 100)}\u00a0%`;
}

/** « que » before a consonant, « qu’ » before a vowel. */
function que(phrase: string): string {
  return /^[aeiouyéèàâ]/i.test(phrase) ? `qu’${phrase}` : `que ${phrase}`;
}

export function mixReading(input: MixReadingInput): string[] {
  const subject = SUBJECT[input.variable];
  const population = {
    households: 'les ménages',
    'social-occupants': 'les occupants du parc social',
    lettings: `les ménages logés en ${input.year ?? ''}`.trim(),
  }[input.population];
  const member = {
    households: 'd’un ménage',
    'social-occupants': 'd’un ménage du parc social',
    lettings: `d’un ménage logé en ${input.year ?? ''}`.trim(),
  }[input.population];
  const terms = input.decomposition;
  const term = (t: { level: MixLevel; share: number }) =>
    `${BETWEEN[t.level]} (${formatShare(t.share)} de M)`;
  const sentences: string[] = [];
  const meaning =
    `connaître ${UNIT_OF[input.scale]} ${member} réduit de ${formatShare(input.H, true)} ` +
    `l’incertitude sur ${GROUP_OF_MEMBER[input.variable]} (H)`;

  if (!(input.M > 0)) {
    sentences.push(
      `${subject} ne sépare pas ${population} ${BETWEEN[terms[terms.length - 1]?.level ?? 'commune']}\u00a0: ` +
        'chaque unité a la composition de l’ensemble (M = 0).',
    );
  } else if (terms.length === 1) {
    sentences.push(`${subject} sépare ${population} ${BETWEEN[terms[0]!.level]}\u00a0: ${meaning}.`);
  } else if (terms.length === 2) {
    const [outer, inner] = terms as [(typeof terms)[number], (typeof terms)[number]];
    const close = Math.abs(outer.share - inner.share) < 0.1;
    if (close) {
      sentences.push(`${subject} sépare à peu près autant ${population} ${term(inner)} ${que(term(outer))}.`);
    } else {
      const [more, less] = inner.share > outer.share ? [inner, outer] : [outer, inner];
      sentences.push(`${subject} sépare davantage ${population} ${term(more)} ${que(term(less))}.`);
    }
  } else {
    const sorted = [...terms].sort((a, b) => b.share - a.share);
    const rest = sorted.slice(1).map(term);
    sentences.push(
      `${subject} sépare surtout ${population} ${term(sorted[0]!)}, puis ${rest.slice(0, -1).join(', ')}` +
        `${rest.length > 1 ? ' et ' : ''}${rest[rest.length - 1]}.`,
    );
  }
  if (input.M > 0 && terms.length > 1) {
    sentences.push(
      `Au total, M = ${formatIndex(input.M)} et H = ${formatShare(input.H, true)}\u00a0: ${meaning}.`,
    );
  }

  if (input.M > 0 && input.expectedM > 0) {
    const ratio = input.expectedM / input.M;
    if (ratio >= 1) {
      sentences.push(
        `Une répartition au hasard des ménages donnerait déjà M ≈ ${formatIndex(input.expectedM)}, autant ou plus ` +
          `que la valeur observée\u00a0: rien ne permet de conclure à une séparation ${BETWEEN[input.scale === 'qpv' ? 'qpv' : input.scale]} à cette échelle.`,
      );
    } else if (ratio >= 0.2) {
      sentences.push(
        `À cette échelle, une répartition au hasard des ménages donnerait déjà M ≈ ${formatIndex(input.expectedM)}, ` +
          `soit ${formatShare(ratio)} de la valeur observée\u00a0: une part de l’écart entre ${UNITS[input.scale]} ` +
          'tient à leur petite taille.',
      );
    }
  }
  if (input.approximate) {
    sentences.push(
      'Les ménages hors du parc social sont placés en QPV ou hors QPV d’après leur IRIS\u00a0: ' +
        'les périmètres des QPV sont approchés par des IRIS tant que le contour officiel n’est pas importé.',
    );
  }
  return sentences;
}
