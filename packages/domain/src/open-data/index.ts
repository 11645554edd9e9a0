export * from './datasets.ts';
export * from './mix-secrecy.ts';
export * from './suppression.ts';
export * from './tables.ts';
