export * from './consumption-units.ts';
export * from './types.ts';
