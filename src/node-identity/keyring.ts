import { desc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import {
  decryptPrivateKeys,
  type EncryptedKeyFile,
  encryptPrivateKeys,
  generateNodeKeys,
  type Jwk,
  type KdfParams,
  type NodeKeys,
  signJson,
} from '../crypto/node-keys.ts';
import type { NodeKey } from '../domain/directory/index.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { Database, Db } from '../store/database.ts';
import { nodeKeys } from '../store/schema/index.ts';
import { writeKdfHint } from './kdf-hint.ts';

/** The node's own keys, unlocked: it signs with the newest key set and verifies with all it ever had. */
export type Keyring = {
  signingKid: string;
  encryptionKid: string;
  sign(payload: Record<string, unknown>): Promise<string>;
  /** Public signing keys of every key set, for verifying what this node signed before a rotation. */
  verificationKeys(): Jwk[];
  publicKeys(): { signing: Jwk; encryption: Jwk };
  /** The newest key set (the one that signs). */
  privateKeys(): NodeKeys;
  /** Private encryption keys of every key set still in its validity: peers may encrypt to an older one during the overlap. */
  decryptionKeys(): Jwk[];
  /** This node's keys as its directory entry lists them, with validity and revocation. */
  directoryKeys(): { signingKeys: NodeKey[]; encryptionKeys: NodeKey[] };
};

export class NodeKeysMissingError extends Error {
  readonly code = 'ERR_NO_NODE_KEYS';
  constructor() {
    super('This node has no keys yet. Run `npx hanoi247 init` (with HANOI247_KEY_SECRET set) first.');
  }
}

export class KeySecretMissingError extends Error {
  readonly code = 'ERR_NO_KEY_SECRET';
  constructor() {
    super('HANOI247_KEY_SECRET is not set: the node cannot unlock its private keys.');
  }
}

type KeyRow = typeof nodeKeys.$inferSelect;
type PublicPair = { signing: Jwk; encryption: Jwk };

export { DEFAULT_OVERLAP_DAYS } from './key-overlap.ts';

async function insertKeySet(
  tx: Db,
  secret: string,
  now: Date,
  actor: string,
  action: string,
  activeFrom: Date = now,
) {
  const keys = await generateNodeKeys();
  const file = await encryptPrivateKeys(keys, secret);
  await tx.insert(nodeKeys).values({
    kid: keys.signing.kid,
    purpose: 'keyset',
    publicJwk: { signing: keys.signing.publicJwk, encryption: keys.encryption.publicJwk },
    encryptedPrivate: file,
    createdAt: now,
    activeFrom,
  });
  await appendAudit(tx, { actor, action, objectType: 'node_key', objectId: keys.signing.kid }, now);
  return keys.signing.kid;
}

/** Makes a new key set, encrypted under the operator's secret, and makes it the active one. */
export async function createKeySet(db: Db, secret: string, clock: Clock, actor: string): Promise<string> {
  const now = clock.now();
  return db.transaction((tx) => insertKeySet(tx, secret, now, actor, 'node.keys_create'));
}

/**
 * A new key set signs from `activateInMs` from now (0: at once; later leaves time to publish it in
 * the directory first); the previous ones stay valid until the overlap after that has passed (for
 * peers whose directory still lists them, and for messages in flight), then they are retired.
 */
export async function rotateKeySet(
  db: Db,
  secret: string,
  clock: Clock,
  actor: string,
  overlapMs: number,
  activateInMs = 0,
): Promise<{ kid: string; activeFrom: string; retiring: { kid: string; until: string }[] }> {
  const now = clock.now();
  const activeFrom = new Date(now.getTime() + activateInMs);
  const until = new Date(activeFrom.getTime() + overlapMs);
  return db.transaction(async (tx) => {
    const rows: KeyRow[] = await tx.select().from(nodeKeys);
    // The secret must unlock the current keys: a typo would otherwise leave two secrets in use.
    const newest = rows.filter((r) => !r.revokedAt).sort((a, b) => +b.activeFrom - +a.activeFrom)[0];
    if (newest) await decryptPrivateKeys(newest.encryptedPrivate as EncryptedKeyFile, secret);
    const retiring: { kid: string; until: string }[] = [];
    for (const row of rows) {
      if (row.revokedAt || (row.retiredAt && row.retiredAt <= until)) continue;
      await tx.update(nodeKeys).set({ retiredAt: until }).where(eq(nodeKeys.kid, row.kid));
      retiring.push({ kid: row.kid, until: until.toISOString() });
    }
    const kid = await insertKeySet(tx, secret, now, actor, 'node.keys_rotate', activeFrom);
    return { kid, activeFrom: activeFrom.toISOString(), retiring };
  });
}

/** Revokes a key set now: peers refuse it as soon as they have a directory that says so. */
export async function revokeKeySet(db: Db, kid: string, clock: Clock, actor: string): Promise<void> {
  const now = clock.now();
  await db.transaction(async (tx) => {
    const rows: KeyRow[] = await tx.select().from(nodeKeys);
    const row = rows.find((r) => r.kid === kid || (r.publicJwk as PublicPair).encryption.kid === kid);
    if (!row) throw new NotFoundError('Node key', kid);
    if (row.revokedAt) throw new ConflictError(`Key set ${row.kid} is already revoked.`, 'ERR_KEY_REVOKED');
    const usable = rows.filter((r) => !r.revokedAt && r.kid !== row.kid);
    if (usable.length === 0)
      throw new ConflictError(
        `Key set ${row.kid} is the only one: run \`hanoi247 keys rotate\` first, then revoke it.`,
        'ERR_LAST_KEY',
      );
    await tx.update(nodeKeys).set({ revokedAt: now }).where(eq(nodeKeys.kid, row.kid));
    await appendAudit(
      tx,
      { actor, action: 'node.keys_revoke', objectType: 'node_key', objectId: row.kid },
      now,
    );
  });
}

export type KeySetView = {
  kid: string;
  encryptionKid: string;
  status: 'pending' | 'active' | 'overlap' | 'retired' | 'revoked';
  createdAt: string;
  activeFrom: string;
  retiredAt: string | null;
  revokedAt: string | null;
  publicKeys: PublicPair;
};

/** Every key set, newest first, with what it may still be used for at `now`. */
export async function listKeySets(database: Database, now: Date): Promise<KeySetView[]> {
  const rows: KeyRow[] = await database.db.select().from(nodeKeys).orderBy(desc(nodeKeys.activeFrom));
  const newestUsable =
    rows.find((r) => !r.revokedAt && r.activeFrom <= now) ?? rows.find((r) => !r.revokedAt);
  return rows.map((r) => ({
    kid: r.kid,
    encryptionKid: (r.publicJwk as PublicPair).encryption.kid ?? '',
    status: r.revokedAt
      ? 'revoked'
      : r !== newestUsable && r.activeFrom > now
        ? 'pending'
        : r === newestUsable
          ? 'active'
          : r.retiredAt && r.retiredAt <= now
            ? 'retired'
            : 'overlap',
    createdAt: r.createdAt.toISOString(),
    activeFrom: r.activeFrom.toISOString(),
    retiredAt: r.retiredAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    publicKeys: r.publicJwk as PublicPair,
  }));
}

function directoryEntries(rows: KeyRow[]): { signingKeys: NodeKey[]; encryptionKeys: NodeKey[] } {
  const entry = (jwk: Jwk, r: KeyRow): NodeKey => ({
    kid: jwk.kid!,
    publicJwk: jwk as NodeKey['publicJwk'],
    validFrom: r.activeFrom.toISOString(),
    ...(r.retiredAt ? { validUntil: r.retiredAt.toISOString() } : {}),
    ...(r.revokedAt ? { revokedAt: r.revokedAt.toISOString() } : {}),
  });
  const ordered = [...rows].sort((a, b) => +b.activeFrom - +a.activeFrom);
  return {
    signingKeys: ordered.map((r) => entry((r.publicJwk as PublicPair).signing, r)),
    encryptionKeys: ordered.map((r) => entry((r.publicJwk as PublicPair).encryption, r)),
  };
}

/** This node's keys as a directory entry lists them (readable without the secret). */
export async function loadDirectoryKeys(database: Database) {
  return directoryEntries(await database.db.select().from(nodeKeys));
}

/**
 * Loads and unlocks the key sets. The newest one already active signs (a rotation with a delayed
 * activation switches at its time, without a restart); every one in its validity opens messages.
 */
export async function loadKeyring(
  database: Database,
  secret: string | null,
  clock?: Clock,
  /** A folder where the salts of the key sets unlocked are noted for the next start (kdf-hint.ts). */
  hintDir?: string,
): Promise<Keyring> {
  const all: KeyRow[] = await database.db.select().from(nodeKeys).orderBy(desc(nodeKeys.activeFrom));
  const rows = all.filter((r) => !r.revokedAt);
  if (rows.length === 0) throw new NodeKeysMissingError();
  if (!secret) throw new KeySecretMissingError();
  const now = () => (clock ? clock.now() : new Date());
  const startedAt = now();
  const sets: { activeFrom: Date; until: Date | null; keys: NodeKeys; kdf: KdfParams }[] = [];
  for (const row of rows) {
    // Past its overlap a key set opens nothing more: not worth its key derivation at every start.
    if (sets.length > 0 && row.retiredAt && row.retiredAt <= startedAt) continue;
    const keys = await decryptPrivateKeys(row.encryptedPrivate as EncryptedKeyFile, secret);
    sets.push({
      activeFrom: row.activeFrom,
      until: row.retiredAt,
      keys,
      kdf: (row.encryptedPrivate as EncryptedKeyFile).kdf,
    });
  }
  if (hintDir)
    writeKdfHint(
      hintDir,
      sets.map((s) => s.kdf),
    );
  const current = (): NodeKeys => {
    const t = now();
    return (sets.find((s) => s.activeFrom <= t) ?? sets[sets.length - 1]!).keys;
  };
  // Revoked keys still verify this node's own older tree heads: the audit log is ours.
  const verification = all.map((r) => (r.publicJwk as PublicPair).signing);
  const directory = directoryEntries(all);
  return {
    get signingKid() {
      return current().signing.kid;
    },
    get encryptionKid() {
      return current().encryption.kid;
    },
    sign: (payload) => signJson(payload, current().signing.privateJwk),
    verificationKeys: () => verification,
    publicKeys: () => {
      const keys = current();
      return { signing: keys.signing.publicJwk, encryption: keys.encryption.publicJwk };
    },
    privateKeys: current,
    decryptionKeys: () => {
      const t = now();
      return sets
        .filter((s, i) => i === 0 || s.until === null || s.until > t)
        .map((s) => s.keys.encryption.privateJwk);
    },
    directoryKeys: () => structuredClone(directory),
  };
}

/** Notes the salts of the key sets in force for the next start of an embedded node (`init` made them). */
export async function noteKeyKdfs(database: Database, dir: string): Promise<void> {
  const rows = await database.db
    .select({ file: nodeKeys.encryptedPrivate, revokedAt: nodeKeys.revokedAt })
    .from(nodeKeys)
    .orderBy(desc(nodeKeys.activeFrom));
  writeKdfHint(
    dir,
    rows.filter((r) => !r.revokedAt).map((r) => (r.file as EncryptedKeyFile).kdf),
  );
}

export async function hasKeys(database: Database): Promise<boolean> {
  const rows = await database.db.select({ kid: nodeKeys.kid }).from(nodeKeys).limit(1);
  return rows.length > 0;
}

/** Public signing keys of every key set, readable without the secret (audit verification). */
export async function loadVerificationKeys(database: Database): Promise<Jwk[]> {
  const rows: KeyRow[] = await database.db.select().from(nodeKeys);
  return rows.map((r) => (r.publicJwk as { signing: Jwk }).signing);
}
