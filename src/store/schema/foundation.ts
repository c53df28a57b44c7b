// The database schema, for drizzle-kit (migrations in drizzle/) and typed queries.
// Plain PostgreSQL 15 types only, so PGlite and PostgreSQL run the same SQL.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const directoryVersions = pgTable('directory_versions', {
  id: serial('id').primaryKey(),
  document: jsonb('document').notNull(),
  sha256: text('sha256').notNull(),
  source: text('source').notNull(),
  importedAt: ts('imported_at').notNull(),
  importedBy: text('imported_by').notNull(),
  // A signed directory as received (the compact JWS) and the publisher key that verified it.
  signedJws: text('signed_jws'),
  publisherKid: text('publisher_kid'),
  publisherJwk: jsonb('publisher_jwk'),
  // Set when the trust anchors stop verifying this version: the node then refuses to use it.
  refusedAt: ts('refused_at'),
  refusedCode: text('refused_code'),
  refusedReason: text('refused_reason'),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  roles: text('roles').array().notNull(),
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret'),
  disabled: boolean('disabled').notNull().default(false),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  // Set by an administrator's reset with a one-time password: only a password change is allowed.
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** One-time password-reset links an administrator made: only the token's hash is kept. */
export const passwordResets = pgTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

export const nodeKeys = pgTable('node_keys', {
  kid: text('kid').primaryKey(),
  purpose: text('purpose').notNull(), // 'sig' | 'enc'
  publicJwk: jsonb('public_jwk').notNull(),
  encryptedPrivate: jsonb('encrypted_private').notNull(),
  createdAt: ts('created_at').notNull(),
  activeFrom: ts('active_from').notNull(),
  retiredAt: ts('retired_at'),
  revokedAt: ts('revoked_at'),
});

// Append-only: rows are never updated or deleted by the application.
export const auditEntries = pgTable(
  'audit_entries',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    payloadHash: text('payload_hash').notNull(),
    leafHash: text('leaf_hash').notNull(),
    chainHash: text('chain_hash').notNull(),
  },
  (t) => [index('audit_entries_object_idx').on(t.objectType, t.objectId)],
);

// One row: the size of the log, its Merkle frontier and the last chain hash; locked by every append
// so that entries get gap-free sequence numbers in commit order.
export const auditState = pgTable('audit_state', {
  id: integer('id').primaryKey().default(1),
  size: bigint('size', { mode: 'number' }).notNull(),
  frontier: jsonb('frontier').notNull(),
  chainHead: text('chain_head').notNull(),
  /** HMAC of size, chain head and root under the node secret's seal key (src/audit/audit-seal.ts). */
  seal: text('seal'),
});

export const auditTreeHeads = pgTable('audit_tree_heads', {
  treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
  rootHash: text('root_hash').notNull(),
  signedAt: ts('signed_at').notNull(),
  kid: text('kid').notNull(),
  jws: text('jws').notNull(),
  /** The same head as a C2SP checkpoint note (null for heads signed before 0012). */
  checkpoint: text('checkpoint'),
});

export const seedMarks = pgTable('seed_marks', {
  name: text('name').primaryKey(),
  appliedAt: ts('applied_at').notNull().default(sql`now()`),
});
