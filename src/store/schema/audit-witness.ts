// The witnessed audit log (drizzle/0012_audit_witnesses.sql): cosignatures this node received for its
// checkpoints; as a witness, the latest checkpoint it cosigned for each partner; and forks it saw.
import { bigint, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Cosigned checkpoints of this node's log, one per witness and size: the whole note, cosignature included. */
export const auditCosignatures = pgTable(
  'audit_cosignatures',
  {
    witness: text('witness').notNull(),
    treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
    rootHash: text('root_hash').notNull(),
    note: text('note').notNull(),
    cosignedAt: ts('cosigned_at').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.witness, t.treeSize] })],
);

/** As a witness: the latest checkpoint of each partner's log that this node verified and cosigned. */
export const witnessedLogs = pgTable('witnessed_logs', {
  node: text('node').primaryKey(),
  treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
  rootHash: text('root_hash').notNull(),
  note: text('note').notNull(),
  cosignedAt: ts('cosigned_at').notNull(),
});

/** Two checkpoints of one partner's log, both signed by it, that cannot both be true: kept as proof. */
export const witnessForks = pgTable('witness_forks', {
  id: serial('id').primaryKey(),
  node: text('node').notNull(),
  reason: text('reason').notNull(),
  firstNote: text('first_note').notNull(),
  secondNote: text('second_note').notNull(),
  detectedAt: ts('detected_at').notNull(),
});
