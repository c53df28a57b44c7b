// Implementation indicators and periodic reports (issue #17): pure rules, no I/O. Not to be confused
// with src/domain/indicators (threat indicators of the early-warning hub).

export * from './aggregate.ts';
export * from './definitions.ts';
export * from './drill-down.ts';
export * from './figures.ts';
export * from './labels.ts';
export * from './period.ts';
export * from './print-labels.ts';
export * from './region.ts';
export * from './schedule.ts';
export * from './suppression.ts';
