import { sql } from 'drizzle-orm';
import { appendLeaf, emptyFrontier, frontierRoot, type MerkleFrontier } from '../crypto/merkle.ts';
import { type Db, rowsOf } from '../store/database.ts';
import { auditEntries } from '../store/schema/index.ts';
import { type AuditInput, auditLeafHash, hashPayload, nextChainHash } from './audit-entry.ts';
import {
  AuditForgedError,
  AuditSealKeyMissingError,
  auditSealKey,
  SEALED_ACTION,
  sealMatches,
  sealOf,
} from './audit-seal.ts';

export type AuditState = { size: number; frontier: MerkleFrontier; chainHead: string };
type StateRow = {
  size: string | number;
  frontier: MerkleFrontier | string;
  chain_head: string;
  seal: string | null;
};

/** Creates the single state row of an empty log; safe to call on every start. */
export async function ensureAuditState(db: Db): Promise<void> {
  await db.execute(sql`INSERT INTO audit_state (id, size, frontier, chain_head)
    VALUES (1, 0, ${JSON.stringify(emptyFrontier())}::jsonb, '') ON CONFLICT (id) DO NOTHING`);
}

function stateOf(row: StateRow): AuditState & { seal: string | null } {
  const frontier =
    typeof row.frontier === 'string' ? (JSON.parse(row.frontier) as MerkleFrontier) : row.frontier;
  return { size: Number(row.size), frontier, chainHead: row.chain_head, seal: row.seal };
}

/** Why the state's seal does not hold under `key`, or null when it does. */
export function sealProblem(key: Buffer, state: AuditState & { seal: string | null }): string | null {
  if (state.seal === null)
    return state.size === 0
      ? 'the log is not sealed yet: the node seals it when it starts'
      : `the state of ${state.size} entries carries no seal`;
  const root = frontierRoot(state.frontier).toString('hex');
  return sealMatches(key, state.seal, state.size, state.chainHead, root)
    ? null
    : `the seal does not match the state of ${state.size} entries`;
}

/**
 * Locks the state row for an append. Where this handle has the seal key, the state must carry its
 * seal: an append never extends (and so never seals over) a state someone without the secret wrote.
 * A handle without the key may only write a log that was never sealed (tests, tools on a scratch log).
 */
async function lockState(tx: Db): Promise<AuditState> {
  const rows = rowsOf<StateRow>(
    await tx.execute(sql`SELECT size, frontier, chain_head, seal FROM audit_state WHERE id = 1 FOR UPDATE`),
  );
  const row = rows[0];
  if (!row) throw new Error('audit_state row is missing: the node was not bootstrapped');
  const state = stateOf(row);
  const key = auditSealKey(tx);
  if (key) {
    const problem = sealProblem(key, state);
    if (problem) throw new AuditForgedError(problem);
  } else if (state.seal !== null) throw new AuditSealKeyMissingError();
  return state;
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

/** Writes the state row, sealed where the handle has the key; `keepSeal` writes that seal unchanged instead. */
async function writeState(tx: Db, state: AuditState, keepSeal?: { seal: string | null }): Promise<void> {
  const key = auditSealKey(tx);
  const seal = keepSeal
    ? keepSeal.seal
    : key
      ? sealOf(key, state.size, state.chainHead, frontierRoot(state.frontier).toString('hex'))
      : null;
  await tx.execute(sql`UPDATE audit_state SET size = ${state.size},
    frontier = ${JSON.stringify(state.frontier)}::jsonb, chain_head = ${state.chainHead}, seal = ${seal} WHERE id = 1`);
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

export type SealStatus = 'sealed' | 'adopted' | 'forged';

/**
 * Run at start by a process that has the seal key (enableAuditSeal first). A sealed log: its seal is
 * checked. An unsealed log is sealed with an entry that says so (audit.log_sealed): an empty one of a
 * node being created, or one written before seals existed ('adopted'). Not sealed over, but reported
 * forged: an unsealed log that already holds that entry (someone removed the seal), and an empty one
 * of a node that has keys (creating them was audited, so someone emptied the log).
 */
export async function sealAuditLog(db: Db, at: Date, nodeHasKeys: boolean): Promise<SealStatus> {
  const key = auditSealKey(db);
  if (!key) throw new AuditSealKeyMissingError();
  return db.transaction(async (tx) => {
    const row = rowsOf<StateRow>(
      await tx.execute(sql`SELECT size, frontier, chain_head, seal FROM audit_state WHERE id = 1 FOR UPDATE`),
    )[0];
    if (!row) throw new Error('audit_state row is missing: the node was not bootstrapped');
    const state = stateOf(row);
    if (state.seal !== null) return sealProblem(key, state) ? 'forged' : 'sealed';
    if (state.size === 0 && nodeHasKeys) return 'forged';
    const marked = rowsOf(
      await tx.execute(sql`SELECT 1 FROM audit_entries WHERE action = ${SEALED_ACTION} LIMIT 1`),
    );
    if (marked.length > 0) return 'forged';
    const next = nextEntry(
      state,
      {
        actor: 'system',
        action: SEALED_ACTION,
        objectType: 'audit_log',
        objectId: 'state',
        payload: { entriesBefore: state.size },
      },
      at,
    );
    await tx.insert(auditEntries).values(next.row);
    await writeState(tx, next.state);
    return state.size === 0 ? 'sealed' : 'adopted';
  });
}

/** Why the current state's seal does not hold, or null (also null for a handle without the key). */
export async function currentSealProblem(db: Db): Promise<string | null> {
  const key = auditSealKey(db);
  if (!key) return null;
  const row = rowsOf<StateRow>(
    await db.execute(sql`SELECT size, frontier, chain_head, seal FROM audit_state WHERE id = 1`),
  )[0];
  return row ? sealProblem(key, stateOf(row)) : null;
}

/**
 * The current size and root to sign: refused (ERR_AUDIT_FORGED) when this handle has the seal key and
 * the state does not carry its seal, so that a signature never vouches for a forgery.
 */
export async function sealedTreeHead(db: Db): Promise<{ size: number; rootHash: string }> {
  const row = rowsOf<StateRow>(
    await db.execute(sql`SELECT size, frontier, chain_head, seal FROM audit_state WHERE id = 1`),
  )[0];
  if (!row) return { size: 0, rootHash: frontierRoot(emptyFrontier()).toString('hex') };
  const state = stateOf(row);
  const key = auditSealKey(db);
  const problem = key ? sealProblem(key, state) : null;
  if (problem) throw new AuditForgedError(problem);
  return { size: state.size, rootHash: frontierRoot(state.frontier).toString('hex') };
}

/**
 * Appends an alarm even to a state whose seal does not hold, without sealing it: the alarm is in the
 * log, chained after whatever is there, and the state stays unsealed, so every other append is still
 * refused. On a sealed state it is an ordinary append. Only for saying that the log was tampered with.
 */
export async function appendAlarm(tx: Db, input: AuditInput, at: Date): Promise<number> {
  const row = rowsOf<StateRow>(
    await tx.execute(sql`SELECT size, frontier, chain_head, seal FROM audit_state WHERE id = 1 FOR UPDATE`),
  )[0];
  if (!row) throw new Error('audit_state row is missing: the node was not bootstrapped');
  const state = stateOf(row);
  const key = auditSealKey(tx);
  const next = nextEntry(state, input, at);
  await tx.insert(auditEntries).values(next.row);
  await writeState(tx, next.state, key && sealProblem(key, state) ? { seal: state.seal } : undefined);
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
