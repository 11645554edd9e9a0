export * from './columns.ts';
export * from './default-grid.ts';
export * from './grid.ts';
export * from './ranking.ts';
export * from './score.ts';
export * from './simulation.ts';
export * from './transparency.ts';
export * from './validate-grid.ts';
