export * from './app.ts';
export { ciaReviewXlsx, reviewEpci } from './reports/cia-review-xlsx.ts';
export * from './start.ts';
