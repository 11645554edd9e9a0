/** The allocation commission (CALEOL). Import as `@mosaique/domain/commission`. */
export * from './decisions.ts';
export * from './preferences.ts';
export * from './year-to-date.ts';
