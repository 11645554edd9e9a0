/**
 * Observatory of social mix: segregation indices of a units × groups table (entropy-based M and H
 * with their exact decompositions, dissimilarity, Gini, Atkinson, exposure, local measures), their
 * sampling uncertainty, and between-school segregation of pupils' IPS. Pure functions, no I/O.
 * Formulas and reference values: R package `segregation` (Elbers) and PySAL `segregation`.
 */
export * from './contingency-table.ts';
export * from './dissimilarity.ts';
export * from './exposure.ts';
export * from './local-composition.ts';
export * from './mix-analysis.ts';
export * from './mix-groups.ts';
export * from './mix-reading.ts';
export * from './mix-snapshot.ts';
export * from './multigroup.ts';
export * from './mutual-information.ts';
export * from './school-ips.ts';
export * from './school-segregation.ts';
export * from './segregation-input-error.ts';
export * from './single-group.ts';
export * from './uncertainty.ts';
