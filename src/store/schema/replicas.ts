// Replicas: the committed changes one replica tells the others of (written by triggers, drizzle/0015), and
// what they share so that a limit or a job holds across them (drizzle/0027, drizzle/0032).
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const replicaChanges = pgTable(
  'replica_changes',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    origin: text('origin').notNull(),
    topic: text('topic').notNull(),
    objectId: text('object_id').notNull(),
    detail: jsonb('detail'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('replica_changes_created_idx').on(t.createdAt)],
);

/** Sign-in throttling counters, shared by the replicas (src/auth/login-throttle.ts); keys are hashes. */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    startedMs: bigint('started_ms', { mode: 'number' }).notNull(),
    lastMs: bigint('last_ms', { mode: 'number' }).notNull(),
    lockedUntilMs: bigint('locked_until_ms', { mode: 'number' }).notNull().default(0),
  },
  (t) => [index('login_throttle_last_idx').on(t.lastMs)],
);

/** Claims of background jobs with an outside effect: the first replica to insert one runs it. */
export const jobClaims = pgTable(
  'job_claims',
  {
    job: text('job').notNull(),
    key: text('key').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.job, t.key] }), index('job_claims_claimed_idx').on(t.claimedAt)],
);

/** Refusal windows of unproven federation senders, shared by the replicas (src/federation/shared-refusal-ledger.ts); keys are address hashes. */
export const federationRefusalWindows = pgTable(
  'federation_refusal_windows',
  {
    key: text('key').primaryKey(),
    startedMs: bigint('started_ms', { mode: 'number' }).notNull(),
    refusals: integer('refusals').notNull(),
  },
  (t) => [index('federation_refusal_windows_started_idx').on(t.startedMs)],
);

/** Refusals counted but not yet audited, per address hash and window: one summary each. */
export const federationRefusalCounts = pgTable(
  'federation_refusal_counts',
  {
    key: text('key').notNull(),
    windowStartMs: bigint('window_start_ms', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
    codes: jsonb('codes').$type<Record<string, number>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.windowStartMs] }),
    index('federation_refusal_counts_window_idx').on(t.windowStartMs),
  ],
);
