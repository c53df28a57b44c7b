import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { consistencyProof, inclusionProof } from '../crypto/merkle.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Database } from '../store/database.ts';
import { auditEntries, auditTreeHeads } from '../store/schema/index.ts';
import { currentTreeHead, sealedTreeHead } from './audit-log.ts';
import { signCheckpoint } from './checkpoint.ts';
import { loadLeafHashes, verifyAuditLog } from './verify-audit.ts';

export type SignedTreeHead = {
  treeSize: number;
  rootHash: string;
  signedAt: string;
  kid: string;
  jws: string;
  /** The same head as a C2SP checkpoint (a signed note); null for heads signed before checkpoints. */
  checkpoint: string | null;
};

/** What signing needs to know of the witnesses: whether the log still agrees with what they cosigned. */
export type SigningGuard = { assertMaySign(): Promise<void> };

/** Reading the audit log: entries, signed tree heads, inclusion and consistency proofs, verification. */
export function createAuditService(
  database: Database,
  clock: Clock,
  keyring: Keyring,
  nodeState: string,
  guard?: SigningGuard,
) {
  const { db } = database;

  const checkpointOf = (size: number, rootHash: string) =>
    signCheckpoint(nodeState, size, rootHash, keyring.privateKeys().signing.privateJwk);

  /**
   * Signs the current tree head, as a JWS and as a C2SP checkpoint, unless the latest signed one already
   * covers it. Refused (ERR_AUDIT_DIVERGED) while the log contradicts what its witnesses cosigned.
   */
  async function signTreeHead(): Promise<SignedTreeHead> {
    await guard?.assertMaySign();
    const head = await sealedTreeHead(db);
    const [latest] = await db.select().from(auditTreeHeads).orderBy(desc(auditTreeHeads.treeSize)).limit(1);
    if (latest && latest.treeSize === head.size) {
      if (latest.checkpoint || latest.rootHash !== head.rootHash) return toSth(latest);
      // A head signed before checkpoints existed: its checkpoint is added once.
      const checkpoint = checkpointOf(latest.treeSize, latest.rootHash);
      await db
        .update(auditTreeHeads)
        .set({ checkpoint })
        .where(and(eq(auditTreeHeads.treeSize, latest.treeSize), isNull(auditTreeHeads.checkpoint)));
      return toSth({ ...latest, checkpoint });
    }
    const signedAt = clock.now();
    const jws = await keyring.sign({
      typ: 'hanoi247-tree-head',
      node: nodeState,
      treeSize: head.size,
      rootHash: head.rootHash,
      signedAt: signedAt.toISOString(),
    });
    const checkpoint = checkpointOf(head.size, head.rootHash);
    const row = {
      treeSize: head.size,
      rootHash: head.rootHash,
      signedAt,
      kid: keyring.signingKid,
      jws,
      checkpoint,
    };
    // Two replicas may sign the same size at once: the first one wins, both are valid.
    await db.insert(auditTreeHeads).values(row).onConflictDoNothing();
    return toSth(row);
  }

  async function listEntries(afterSeq: number, limit: number) {
    const rows = await db
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.seq, afterSeq))
      .orderBy(asc(auditEntries.seq))
      .limit(limit);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  async function listTreeHeads(limit: number): Promise<SignedTreeHead[]> {
    const rows = await db.select().from(auditTreeHeads).orderBy(desc(auditTreeHeads.treeSize)).limit(limit);
    return rows.map(toSth);
  }

  async function checkSize(treeSize: number, field: string): Promise<void> {
    const { size } = await currentTreeHead(db);
    if (treeSize > size)
      throw new ValidationError([
        { field, message: `the log holds ${size} entries, fewer than ${treeSize}` },
      ]);
  }

  async function inclusion(seq: number, treeSize: number) {
    await checkSize(treeSize, 'querystring/treeSize');
    if (seq < 1 || seq > treeSize)
      throw new ValidationError([
        { field: 'querystring/seq', message: `must be from 1 to treeSize (${treeSize})` },
      ]);
    const leaves = await loadLeafHashes(db, treeSize);
    return {
      seq,
      leafIndex: seq - 1,
      treeSize,
      leafHash: leaves[seq - 1]!.toString('hex'),
      auditPath: inclusionProof(seq - 1, leaves).map((h) => h.toString('hex')),
    };
  }

  async function consistency(first: number, second: number) {
    await checkSize(second, 'querystring/second');
    if (first < 1 || first > second)
      throw new ValidationError([
        { field: 'querystring/first', message: `must be from 1 to second (${second})` },
      ]);
    const leaves = await loadLeafHashes(db, second);
    return { first, second, consistencyPath: consistencyProof(first, leaves).map((h) => h.toString('hex')) };
  }

  async function verify(onProgress?: (n: number) => void) {
    return verifyAuditLog(database, keyring.verificationKeys(), onProgress);
  }

  async function size(): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEntries);
    return row?.n ?? 0;
  }

  return { signTreeHead, listEntries, listTreeHeads, inclusion, consistency, verify, size };
}

function toSth(row: {
  treeSize: number;
  rootHash: string;
  signedAt: Date;
  kid: string;
  jws: string;
  checkpoint: string | null;
}): SignedTreeHead {
  return {
    treeSize: row.treeSize,
    rootHash: row.rootHash,
    signedAt: row.signedAt.toISOString(),
    kid: row.kid,
    jws: row.jws,
    checkpoint: row.checkpoint,
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
