const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatInteger = (n: number): string => integer.format(n);
export const formatEuros = (n: number): string => `${integer.format(n)} €`;
/**
 * A date or instant (ISO) as « 30/06/2024 ». A bare day is read at noon UTC, so that it is the same
 * day in every time zone.
 */
export const formatDate = (iso: string): string =>
  new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso).toLocaleDateString('fr-FR');
export const formatPercent = (n: number): string => `${oneDecimal.format(n)} %`;
