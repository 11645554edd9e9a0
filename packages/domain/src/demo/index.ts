export * from './assumptions.ts';
export * from './checks.ts';
export * from './equal-treatment.ts';
export * from './files.ts';
export * from './first-quartile.ts';
export * from './generate.ts';
export * from './plan.ts';
export * from './types.ts';
