export * from './consumption-units.ts';
export * from './first-quartile-threshold.ts';
export * from './types.ts';
