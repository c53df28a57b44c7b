export * from './batch.ts';
export * from './message-header.ts';
export * from './protocol.ts';
export * from './retry-policy.ts';
