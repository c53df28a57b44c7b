// Replicas: the committed changes one replica tells the others of (written by triggers, drizzle/0015).
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
