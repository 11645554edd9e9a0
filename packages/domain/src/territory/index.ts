export * from './parse.ts';
export * from './types.ts';
