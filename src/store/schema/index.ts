// All tables, one file per capability. drizzle-kit reads this folder (drizzle.config.ts).
export * from './audit-witness.ts';
export * from './evidence.ts';
export * from './exercises.ts';
export * from './federation.ts';
export * from './foundation.ts';
export * from './hub.ts';
export * from './hub-federation.ts';
export * from './replicas.ts';
export * from './reports.ts';
export * from './requests.ts';
