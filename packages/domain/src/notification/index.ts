export * from './criteria.ts';
export * from './delivery.ts';
export * from './messages.ts';
export * from './results.ts';
