export * from './cia-review.ts';
export * from './targets.ts';
