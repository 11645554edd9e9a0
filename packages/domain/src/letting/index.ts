export * from './advert.ts';
export * from './chance.ts';
export * from './photo.ts';
export * from './shortlist.ts';
export * from './types.ts';
