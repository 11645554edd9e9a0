const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatInteger = (n: number): string => integer.format(n);
export const formatEuros = (n: number): string => `${integer.format(n)} €`;
export const formatPercent = (n: number): string => `${oneDecimal.format(n)} %`;
