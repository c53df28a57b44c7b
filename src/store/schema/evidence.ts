// Evidence (drizzle/0011_evidence.sql): blobs stored once per SHA-256 and encrypted at rest, the items
// that describe them on a request, resumable uploads, and sealed packages with their items in order.
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { requests } from './requests.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const evidenceBlobs = pgTable('evidence_blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  chunkSize: integer('chunk_size').notNull(),
  chunkCount: integer('chunk_count').notNull(),
  chunkRoot: text('chunk_root').notNull(),
  wrappedKey: text('wrapped_key').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: ts('created_at').notNull(),
  deletedAt: ts('deleted_at'),
});

export const evidenceUploads = pgTable(
  'evidence_uploads',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    createdBy: text('created_by').notNull(),
    length: bigint('length', { mode: 'number' }).notNull(),
    metadata: jsonb('metadata').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    status: text('status').notNull(),
    itemId: uuid('item_id'),
    /** drizzle/0036_exercise_end_evidence.sql: the exercise of its request; null for real evidence. */
    exerciseId: uuid('exercise_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('evidence_uploads_request_idx').on(t.requestId, t.status)],
);

export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    sha256: text('sha256')
      .notNull()
      .references(() => evidenceBlobs.sha256),
    size: bigint('size', { mode: 'number' }).notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    description: text('description').notNull(),
    source: text('source').notNull(),
    custodian: text('custodian'),
    domesticOrder: text('domestic_order'),
    acquiredAt: ts('acquired_at').notNull(),
    acquiredBy: text('acquired_by').notNull(),
    personalData: jsonb('personal_data').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: ts('added_at').notNull(),
    /** drizzle/0036_exercise_end_evidence.sql: the exercise of its request; null for real evidence. */
    exerciseId: uuid('exercise_id'),
  },
  (t) => [
    index('evidence_items_request_idx').on(t.requestId, t.id),
    index('evidence_items_sha256_idx').on(t.sha256),
  ],
);

export const evidencePackages = pgTable(
  'evidence_packages',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    status: text('status').notNull(),
    manifest: jsonb('manifest').notNull(),
    jws: text('jws').notNull(),
    merkleRoot: text('merkle_root').notNull(),
    supersedes: uuid('supersedes'),
    sealedBy: text('sealed_by').notNull(),
    sealedAt: ts('sealed_at').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: ts('approved_at'),
    retentionUntil: ts('retention_until'),
    deletedAt: ts('deleted_at'),
    /** drizzle/0036_exercise_end_evidence.sql: the exercise of its request; null for real evidence. */
    exerciseId: uuid('exercise_id'),
    /** On a third State's node (0031): the State it came from onward and the consent that allowed it. */
    onward: jsonb('onward'),
  },
  (t) => [index('evidence_packages_request_idx').on(t.requestId, t.id)],
);

export const evidencePackageItems = pgTable(
  'evidence_package_items',
  {
    packageId: uuid('package_id')
      .notNull()
      .references(() => evidencePackages.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => evidenceItems.id),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.packageId, t.position] }),
    index('evidence_package_items_item_idx').on(t.itemId),
  ],
);

// The chain of custody; `details` is exactly the payload whose hash the audit entry `audit_seq` holds.
export const evidenceCustody = pgTable(
  'evidence_custody',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    auditSeq: bigint('audit_seq', { mode: 'number' }).notNull(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    packageId: uuid('package_id'),
    itemId: uuid('item_id'),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    at: ts('at').notNull(),
    details: jsonb('details').notNull(),
  },
  (t) => [
    index('evidence_custody_package_idx').on(t.packageId, t.id),
    index('evidence_custody_item_idx').on(t.itemId, t.id),
    index('evidence_custody_request_idx').on(t.requestId, t.id),
  ],
);

// drizzle/0018_evidence_transfer.sql: a package travelling between two nodes, and the chunks the
// receiver has checked and stored (what a resumed transfer skips).
export const evidenceTransfers = pgTable('evidence_transfers', {
  packageId: uuid('package_id')
    .primaryKey()
    .references(() => evidencePackages.id),
  direction: text('direction').notNull(),
  peerState: text('peer_state').notNull(),
  /** The end-to-end transfer key, wrapped under this node's evidence key-encryption key. */
  transferKey: text('transfer_key').notNull(),
  /** Receiver: per item, its at-rest data key wrapped under the key-encryption key. */
  itemKeys: jsonb('item_keys').notNull(),
  status: text('status').notNull(),
  receipt: text('receipt'),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at'),
});

export const evidenceTransferChunks = pgTable(
  'evidence_transfer_chunks',
  {
    packageId: uuid('package_id')
      .notNull()
      .references(() => evidenceTransfers.packageId),
    itemIndex: integer('item_index').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.itemIndex, t.chunkIndex] })],
);
