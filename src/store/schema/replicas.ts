// Replicas: the committed changes one replica tells the others of (written by triggers, drizzle/0015), and
// what they share so that a limit or a job holds across them (drizzle/0026).
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
