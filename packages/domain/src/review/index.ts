export * from './cia-review.ts';
export * from './disparity.ts';
export * from './lettings-export.ts';
export * from './targets.ts';
