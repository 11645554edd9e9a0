export * from './files-export.ts';
export * from './indicators.ts';
export * from './matching.ts';
export * from './types.ts';
