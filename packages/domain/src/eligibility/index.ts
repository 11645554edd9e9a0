export * from './eligibility.ts';
export * from './format.ts';
export * from './household-category.ts';
export * from './income-ceilings.ts';
export * from './settings.ts';
export * from './zones.ts';
