export * from './account-repository.ts';
export * from './bulk.ts';
export * from './db.ts';
export * from './migrate.ts';
export * from './population-repository.ts';
export * from './territory-folder.ts';
export * from './territory-queries.ts';
export * from './territory-repository.ts';
