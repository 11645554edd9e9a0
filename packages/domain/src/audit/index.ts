export * from './equal-treatment.ts';
