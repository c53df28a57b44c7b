import { sql } from 'drizzle-orm';
import { appendLeaf, emptyFrontier, frontierRoot, type MerkleFrontier } from '../crypto/merkle.ts';
import { type Db, rowsOf } from '../store/database.ts';
import { auditEntries } from '../store/schema/index.ts';
import { type AuditInput, auditLeafHash, hashPayload, nextChainHash } from './audit-entry.ts';

export type AuditState = { size: number; frontier: MerkleFrontier; chainHead: string };

/** Creates the single state row of an empty log; safe to call on every start. */
export async function ensureAuditState(db: Db): Promise<void> {
  await db.execute(sql`INSERT INTO audit_state (id, size, frontier, chain_head)
    VALUES (1, 0, ${JSON.stringify(emptyFrontier())}::jsonb, '') ON CONFLICT (id) DO NOTHING`);
}

async function lockState(tx: Db): Promise<AuditState> {
  const rows = rowsOf<{ size: string | number; frontier: MerkleFrontier | string; chain_head: string }>(
    await tx.execute(sql`SELECT size, frontier, chain_head FROM audit_state WHERE id = 1 FOR UPDATE`),
  );
  const row = rows[0];
  if (!row) throw new Error('audit_state row is missing: the node was not bootstrapped');
  const frontier =
    typeof row.frontier === 'string' ? (JSON.parse(row.frontier) as MerkleFrontier) : row.frontier;
  return { size: Number(row.size), frontier, chainHead: row.chain_head };
}

/**
 * Appends one entry inside the caller's transaction, so the change and its audit entry commit together.
 * Locking the state row serialises appends: sequence numbers have no gaps and follow commit order.
 */
export async function appendAudit(tx: Db, input: AuditInput, at: Date): Promise<number> {
  const state = await lockState(tx);
  const seq = state.size + 1;
  const fields = {
    seq,
    at,
    actor: input.actor,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    payloadHash: hashPayload(input.payload),
  };
  const leaf = auditLeafHash(fields);
  const chainHash = nextChainHash(state.chainHead, leaf);
  const frontier = appendLeaf(state.frontier, Buffer.from(leaf, 'hex'));
  await tx.insert(auditEntries).values({ ...fields, leafHash: leaf, chainHash });
  await tx.execute(sql`UPDATE audit_state SET size = ${seq}, frontier = ${JSON.stringify(frontier)}::jsonb,
    chain_head = ${chainHash} WHERE id = 1`);
  return seq;
}

/** The current size and root of the log, from the state row (no scan). */
export async function currentTreeHead(db: Db): Promise<{ size: number; rootHash: string }> {
  const rows = rowsOf<{ size: string | number; frontier: MerkleFrontier | string }>(
    await db.execute(sql`SELECT size, frontier FROM audit_state WHERE id = 1`),
  );
  const row = rows[0];
  if (!row) return { size: 0, rootHash: frontierRoot(emptyFrontier()).toString('hex') };
  const frontier =
    typeof row.frontier === 'string' ? (JSON.parse(row.frontier) as MerkleFrontier) : row.frontier;
  return { size: Number(row.size), rootHash: frontierRoot(frontier).toString('hex') };
}
