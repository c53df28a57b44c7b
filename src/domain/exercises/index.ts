// Public API of the exercise domain: scenario files, their validation, the exercise clock and scoring.
export * from './alert-input.ts';
export * from './end-sender.ts';
export * from './exercise-clock.ts';
export * from './final-score.ts';
export * from './offsets.ts';
export * from './report-labels.ts';
export * from './scenario-schema.ts';
export * from './scoring.ts';
export * from './validate-scenario.ts';
