export * from './rejects.ts';
export * from './validate.ts';
