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

type EntryRow = typeof auditEntries.$inferInsert;

/** Appends gathered in one transaction: the state row is locked once and written once, at the end. */
type Gathered = { state: Promise<AuditState> | null; current: AuditState | null; rows: EntryRow[] };
const gathering = new WeakMap<Db, Gathered>();

// Rows per INSERT: nine parameters each, well under PostgreSQL's 65,535 bound parameters.
const INSERT_CHUNK = 2000;

/**
 * Runs `work` in the caller's transaction with every audit entry it appends gathered: the state row is
 * locked at the first append and written once, and the entries go in as one multi-row insert when
 * `work` is done. Sequence numbers, hashes and order are exactly those of appending one by one. For
 * work that appends many entries (a batch of federation messages). `work` must not open a savepoint
 * that appends, since a savepoint rolled back would leave its entries among those gathered.
 */
export async function gatherAudit<T>(tx: Db, work: () => Promise<T>): Promise<T> {
  if (gathering.has(tx)) return work();
  const gathered: Gathered = { state: null, current: null, rows: [] };
  gathering.set(tx, gathered);
  let result: T;
  try {
    result = await work();
  } finally {
    gathering.delete(tx);
  }
  if (gathered.current && gathered.rows.length > 0) {
    for (let i = 0; i < gathered.rows.length; i += INSERT_CHUNK)
      await tx.insert(auditEntries).values(gathered.rows.slice(i, i + INSERT_CHUNK));
    await writeState(tx, gathered.current);
  }
  return result;
}

/** The entry that follows `state`, and the state after it (pure). */
function nextEntry(state: AuditState, input: AuditInput, at: Date): { row: EntryRow; state: AuditState } {
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
  return {
    row: { ...fields, leafHash: leaf, chainHash },
    state: {
      size: seq,
      frontier: appendLeaf(state.frontier, Buffer.from(leaf, 'hex')),
      chainHead: chainHash,
    },
  };
}

async function writeState(tx: Db, state: AuditState): Promise<void> {
  await tx.execute(sql`UPDATE audit_state SET size = ${state.size},
    frontier = ${JSON.stringify(state.frontier)}::jsonb, chain_head = ${state.chainHead} WHERE id = 1`);
}

/**
 * Appends one entry inside the caller's transaction, so the change and its audit entry commit together.
 * Locking the state row serialises appends: sequence numbers have no gaps and follow commit order.
 */
export async function appendAudit(tx: Db, input: AuditInput, at: Date): Promise<number> {
  const gathered = gathering.get(tx);
  if (gathered) {
    gathered.state ??= lockState(tx);
    const locked = await gathered.state;
    // No await from here on: appends made concurrently in one transaction still take turns.
    const next = nextEntry(gathered.current ?? locked, input, at);
    gathered.current = next.state;
    gathered.rows.push(next.row);
    return next.state.size;
  }
  const next = nextEntry(await lockState(tx), input, at);
  await tx.insert(auditEntries).values(next.row);
  await writeState(tx, next.state);
  return next.state.size;
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
