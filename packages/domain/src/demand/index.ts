export * from './types.ts';
export * from './consumption-units.ts';
