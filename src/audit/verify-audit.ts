import { sql } from 'drizzle-orm';
import { hashingFor } from '../crypto/native-audit-hash.ts';
import type { Jwk } from '../crypto/node-keys.ts';
import { verifyJson } from '../crypto/node-keys.ts';
import { type Database, type Db, rowsOf } from '../store/database.ts';
import { auditLeafHashBytes, nextChainHash } from './audit-entry.ts';
import { SEALED_ACTION, sealMatches } from './audit-seal.ts';
import { type HashWorker, startHashWorker } from './hash-worker-client.ts';
import { foldStackHex, pushLeafHex } from './hex-merkle-stack.ts';
import { joinSegment } from './join-segment.ts';
import {
  checkBinarySegment,
  checkSegment,
  readCopyBatch,
  readFastBatch,
  type Segment,
  type TreeHeadAt,
  type VerifyState,
} from './verify-fast-batch.ts';

export type AuditProblem = {
  seq: number;
  kind:
    | 'MISSING'
    | 'ALTERED'
    | 'REORDERED'
    | 'TREE_HEAD_MISMATCH'
    | 'TREE_HEAD_SIGNATURE'
    | 'STATE_MISMATCH'
    | 'WITNESS_MISMATCH'
    | 'TRUNCATED'
    | 'FORGED';
  message: string;
};

export type AuditVerification = {
  ok: boolean;
  entries: number;
  treeHeadsChecked: number;
  rootHash: string;
  firstProblem: AuditProblem | null;
  /** Whether the state's seal was checked (the node's key secret was at hand): see audit-seal.ts. */
  sealChecked: boolean;
};

/** One entry as the batch query returns it: a JSON array, so a batch crosses the driver as one string. */
type EntryTuple = [
  seq: number,
  at: string,
  actor: string,
  action: string,
  objectType: string,
  objectId: string,
  payloadHash: string,
  leafHash: string,
  chainHash: string,
];

export type VerifyOptions = {
  /**
   * Entries per batch, a power of two (another size is rounded down to one), so that batches fall on
   * complete Merkle subtrees; tests pass small sizes to cross batch boundaries with a few entries.
   */
  batchSize?: number;
  /**
   * Worker threads that hash batches while this thread reads the next ones. Default 1, and 2 on
   * PostgreSQL's binary COPY hashed through node:crypto. Measured on 2 cores over 1,000,000 entries:
   * one worker took PGlite from 6.6 s to 3.2 s and a second gained nothing more (the database's
   * rendering holds the other core); with binary COPY hashed through node:crypto the server and this
   * thread do so little that a second worker took PostgreSQL from 3.3-3.8 s to 2.7-2.9 s; the native
   * checker does a batch in about a fifth of that time, and a second worker then only competes with
   * the server for the cores (1.53-1.57 s with one, 1.66-1.67 s with two, in one run).
   */
  hashWorkers?: number;
  /** The workers' module; tests substitute one that fails. */
  hashWorkerUrl?: URL;
  /**
   * Whether batches are read as binary COPY where the back end offers it (PostgreSQL), which costs the
   * server less than rendering text; default true. False reads the text form, for comparison.
   */
  binaryCopy?: boolean;
  /**
   * Whether batches are hashed by the native batch SHA-256 when it is built (native/sha256-each.c);
   * default true. False hashes through node:crypto, as does a machine where it did not build.
   */
  nativeHash?: boolean;
  /**
   * Checkpoints vouched for outside this database (witnesses' cosignatures, an auditor's saved
   * checkpoint), checked like signed tree heads in the same pass: the log must reach each one's size
   * and hash to its root there. `source` names who vouched, for the problem.
   */
  witnessed?: readonly WitnessedHead[];
  /**
   * The seal key (audit-seal.ts, from the node's key secret): the state row must carry its seal over
   * the size, chain head and root the entries hash to. Without it the log is checked against itself,
   * its signed heads and the witnesses only, which a forged append after the newest of those passes.
   */
  sealKey?: Buffer;
};

/** A tree head vouched for outside the database, and by whom. */
export type WitnessedHead = TreeHeadAt & { source: string };
type HeadToCheck = TreeHeadAt & { source?: string };

const BATCH = 16_384;
/** Batches requested ahead on PostgreSQL; the bench's pool has 4 connections and the node's 10. */
const PG_BATCHES_AHEAD = 3;
const DEFAULT_HASH_WORKERS = 1;
const DEFAULT_HASH_WORKERS_BINARY_CRYPTO = 2;

/**
 * Re-derives every leaf, the hash chain and the Merkle roots from the rows, and checks them against the
 * stored hashes, the signed tree heads and the state row. Stops at the first problem, which it names.
 * Batches go through the fast path (verify-fast-batch.ts): each is checked on its own, by a worker or
 * here, and joined to the ones before in order (join-segment.ts). A batch with any anomaly is re-checked
 * on the exact path, which decodes every field and names the first problem.
 */
export async function verifyAuditLog(
  database: Pick<Database, 'db' | 'kind' | 'copyOut'>,
  publicKeys: Jwk[],
  onProgress?: (checked: number) => void,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const { db } = database;
  const batchSize = 2 ** Math.floor(Math.log2(Math.max(1, options.batchSize ?? BATCH)));
  const readBatch = database.kind === 'pglite' ? readBatchAsJson : readBatchAsRows;
  const signedHeads = rowsOf<{ tree_size: string | number; root_hash: string; jws: string }>(
    await db.execute(sql`SELECT tree_size, root_hash, jws FROM audit_tree_heads ORDER BY tree_size`),
  ).map((h) => ({ size: Number(h.tree_size), rootHash: h.root_hash, jws: h.jws }));
  const state: VerifyState = { expected: 1, chain: '', stack: [], headIndex: 0, treeHeadsChecked: 0 };
  const root = (): string => foldStackHex(state.stack);
  const fail = (problem: AuditProblem): AuditVerification => ({
    ok: false,
    entries: state.expected - 1,
    treeHeadsChecked: state.treeHeadsChecked,
    rootHash: root(),
    firstProblem: problem,
    sealChecked: options.sealKey !== undefined,
  });

  for (const head of signedHeads) {
    try {
      const claims = (await verifyJson(head.jws, publicKeys)) as { treeSize?: number; rootHash?: string };
      if (claims.treeSize !== head.size || claims.rootHash !== head.rootHash)
        throw new Error('claims differ');
    } catch {
      return fail({
        seq: head.size,
        kind: 'TREE_HEAD_SIGNATURE',
        message: `the signed tree head at size ${head.size} does not carry a valid signature of this node`,
      });
    }
  }
  const heads = withWitnessed(signedHeads, options.witnessed ?? []);
  const emptyHead = checkHeadsUpTo(state, heads, 0);
  if (emptyHead) return fail(emptyHead);

  // A log of one batch or less is hashed here: a worker's start-up would cost more than the hashing.
  const stated = rowsOf<{ size: string | number }>(
    await db.execute(sql`SELECT size FROM audit_state WHERE id = 1`),
  );
  const { copyOut } = database;
  const binary = copyOut !== undefined && options.binaryCopy !== false;
  const nativeHash = options.nativeHash !== false;
  const hashing = hashingFor(nativeHash);
  const workerCount =
    Number(stated[0]?.size ?? 0) > batchSize
      ? (options.hashWorkers ??
        (binary && !hashing.copySegment ? DEFAULT_HASH_WORKERS_BINARY_CRYPTO : DEFAULT_HASH_WORKERS))
      : 0;
  const headSizes = heads.map((h) => h.size);
  const workers: HashWorker[] = [];
  let dispatched = 0;
  // Batch buffers back from the workers, each read into again: no new memory per batch.
  const spares: ArrayBuffer[] = [];
  const readFast = (from: number): Promise<Buffer | null> =>
    binary ? readCopyBatch(copyOut, from, batchSize, spares.pop()) : readFastBatch(db, from, batchSize);
  const checkBatch = (batch: Buffer, from: number): Promise<Segment | null> | Segment | null =>
    workers.length > 0
      ? workers[dispatched++ % workers.length]!.check(batch, from, binary)
      : (binary ? checkBinarySegment : checkSegment)(batch, from, headSizes, batchSize, hashing);
  // Batches are requested ahead of the one being joined, and each is checked as soon as it arrives.
  // PostgreSQL renders each on its own connection, so several server processes work at once; PGlite
  // runs queries one at a time on this thread, so the hashing moves to workers. Either way the state
  // advances here, batch after batch, and an anomaly re-checks that batch exactly.
  const ahead = Math.max(database.kind === 'postgres' ? PG_BATCHES_AHEAD : 1, workerCount + 1);
  type Pending = { from: number; segment: Promise<Segment | null | undefined> };
  const queue: Pending[] = [];
  let nextFrom = state.expected;
  const refill = () => {
    while (queue.length < ahead) {
      const from = nextFrom;
      const segment = readFast(from).then((batch) => (batch === null ? undefined : checkBatch(batch, from)));
      // Awaited in order below, where a failure surfaces; until then it must not count as unhandled.
      segment.catch(() => {});
      queue.push({ from, segment });
      nextFrom += batchSize;
    }
  };
  const drain = async () => {
    await Promise.allSettled(queue.splice(0).map((p) => p.segment));
  };
  try {
    for (let i = 0; i < workerCount; i++)
      workers.push(
        startHashWorker({ headSizes, entries: batchSize, nativeHash }, spares, options.hashWorkerUrl),
      );
    refill();
    let aligned = true;
    while (aligned) {
      const { from, segment: pending } = queue.shift()!;
      const segment = await pending;
      if (segment === undefined) break;
      // Only a short batch leaves the state off the batch grid, and only the last batch is short,
      // unless entries were appended while we read: those are checked exactly, below.
      if (from !== state.expected) {
        aligned = false;
        break;
      }
      refill();
      if (!segment || !joinSegment(state, segment, heads, batchSize)) {
        const problem = checkExactBatch(await readBatch(db, from, batchSize), state, heads);
        if (problem) return fail(problem);
        if (state.expected !== from + batchSize) aligned = false;
      }
      onProgress?.(state.expected - 1);
    }
    await drain();
    if (!aligned) {
      for (;;) {
        const rows = await readBatch(db, state.expected, batchSize);
        if (rows.length === 0) break;
        const problem = checkExactBatch(rows, state, heads);
        if (problem) return fail(problem);
        onProgress?.(state.expected - 1);
      }
    }
  } finally {
    await drain();
    await Promise.all(workers.map((worker) => worker.close()));
  }
  const size = state.expected - 1;
  if (state.headIndex < heads.length) {
    const head = heads[state.headIndex]!;
    return fail(
      head.source
        ? {
            seq: size + 1,
            kind: 'TRUNCATED',
            message: `${head.source} vouches for ${head.size} entries but the log holds only ${size}: entries after ${size} were deleted`,
          }
        : {
            seq: size + 1,
            kind: 'MISSING',
            message: `a tree head was signed at size ${head.size} but the log holds only ${size} entries: entries were deleted`,
          },
    );
  }
  const stateRow = rowsOf<{ size: string | number; chain_head: string; seal: string | null }>(
    await db.execute(sql`SELECT size, chain_head, seal FROM audit_state WHERE id = 1`),
  )[0];
  if (stateRow && (Number(stateRow.size) !== size || stateRow.chain_head !== state.chain)) {
    return fail({
      seq: size + 1,
      kind: 'STATE_MISMATCH',
      message: `the log state records ${Number(stateRow.size)} entries but ${size} were found: entries after ${size} were deleted`,
    });
  }
  // The state now agrees with the entries; its seal says whether someone with the secret wrote it.
  // An empty log never written carries none. Everything up to the newest head checked above is vouched
  // for already, so a forgery lies after it.
  if (options.sealKey && (size > 0 || stateRow?.seal != null) && !(await neverSealed(db, stateRow?.seal))) {
    if (!sealMatches(options.sealKey, stateRow?.seal ?? null, size, state.chain, root())) {
      const vouched = heads.filter((h) => h.size <= size).at(-1)?.size ?? 0;
      return fail({
        seq: vouched + 1,
        kind: 'FORGED',
        message: `the log's state ${stateRow?.seal ? 'does not carry' : 'carries no'} seal of this node's key secret: entries after ${vouched} (the newest signed or witnessed tree head) were appended, altered or removed by someone without the secret`,
      });
    }
  }
  return {
    ok: true,
    entries: size,
    treeHeadsChecked: state.treeHeadsChecked,
    rootHash: root(),
    firstProblem: null,
    sealChecked: options.sealKey !== undefined && !(await neverSealed(db, stateRow?.seal)),
  };
}

/**
 * A log written before seals existed and not yet sealed by a start of the node: no seal, and no entry
 * saying it was sealed (a seal removed from a sealed log leaves that entry behind).
 */
async function neverSealed(db: Db, seal: string | null | undefined): Promise<boolean> {
  if (seal != null) return false;
  const marked = rowsOf(
    await db.execute(sql`SELECT 1 FROM audit_entries WHERE action = ${SEALED_ACTION} LIMIT 1`),
  );
  return marked.length === 0;
}

/**
 * The signed heads with the witnessed ones, by size, one per size: where both have one, the witnessed one
 * is checked (it was vouched for outside the database; the signed one's signature was checked above).
 */
function withWitnessed(signed: readonly TreeHeadAt[], witnessed: readonly WitnessedHead[]): HeadToCheck[] {
  if (witnessed.length === 0) return [...signed];
  const bySize = new Map<number, HeadToCheck>();
  for (const h of signed) bySize.set(h.size, { size: h.size, rootHash: h.rootHash });
  for (const h of witnessed) {
    const there = bySize.get(h.size);
    if (!there?.source) bySize.set(h.size, h);
  }
  return [...bySize.values()].sort((a, b) => a.size - b.size);
}

function checkHeadsUpTo(
  state: VerifyState,
  heads: readonly HeadToCheck[],
  size: number,
): AuditProblem | null {
  while (state.headIndex < heads.length && heads[state.headIndex]!.size <= size) {
    const head = heads[state.headIndex]!;
    if (head.size === size) {
      state.treeHeadsChecked++;
      if (foldStackHex(state.stack) !== head.rootHash) {
        if (head.source)
          return {
            seq: size,
            kind: 'WITNESS_MISMATCH',
            message: `the entries up to ${size} no longer hash to the root ${head.source} vouches for at size ${size}: an entry at or before ${size} was rewritten, removed or inserted`,
          };
        return {
          seq: size,
          kind: 'TREE_HEAD_MISMATCH',
          message: `the entries up to ${size} no longer hash to the root signed at size ${size}: an entry at or before ${size} was rewritten`,
        };
      }
    }
    state.headIndex++;
  }
  return null;
}

/** The exact path over decoded rows: every field re-encoded by Node, each check in order; names the first problem. */
function checkExactBatch(
  rows: EntryTuple[],
  state: VerifyState,
  heads: readonly TreeHeadAt[],
): AuditProblem | null {
  for (const row of rows) {
    const seq = row[0];
    const expected = state.expected;
    if (seq !== expected) {
      return {
        seq: expected,
        kind: 'MISSING',
        message: `entry ${expected} is missing (the next row is ${seq})`,
      };
    }
    const leaf = leafHashOfTuple(row).toString('hex');
    if (leaf !== row[7]) {
      return {
        seq,
        kind: 'ALTERED',
        message: `entry ${seq} was altered: its fields no longer match its leaf hash`,
      };
    }
    const chain = nextChainHash(state.chain, leaf);
    if (chain !== row[8]) {
      return {
        seq,
        kind: 'REORDERED',
        message: `entry ${seq} breaks the hash chain: entries were reordered, removed or rewritten before it`,
      };
    }
    state.chain = chain;
    pushLeafHex(state.stack, seq - 1, leaf);
    const headProblem = checkHeadsUpTo(state, heads, seq);
    if (headProblem) return headProblem;
    state.expected++;
  }
  return null;
}

/** Leaf hashes of the first `size` entries (or of entries `from`..`size`), in order, for building proofs. */
export async function loadLeafHashes(db: Db, size: number, from = 1): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  let next = from;
  while (next <= size) {
    const rows = rowsOf<{ leaf_hash: string }>(
      await db.execute(sql`SELECT leaf_hash FROM audit_entries WHERE seq >= ${next} AND seq <= ${size}
        ORDER BY seq LIMIT ${BATCH}`),
    );
    if (rows.length === 0) break;
    for (const row of rows) leaves.push(Buffer.from(row.leaf_hash, 'hex'));
    next += rows.length;
  }
  return leaves;
}

/**
 * One batch of entries from `from` on, for PGlite: the database renders each row as a JSON array with
 * the time already in toISOString form, and the batch as one text value, because PGlite's row-by-row
 * decoding cost more than all the hashing (measured: 1.4 s against 3.9 s for 200,000 rows).
 */
async function readBatchAsJson(db: Db, from: number, limit: number): Promise<EntryTuple[]> {
  const rows = rowsOf<{ batch: string | null }>(
    await db.execute(sql`SELECT json_agg(json_build_array(seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash) ORDER BY seq)::text AS batch
      FROM (SELECT * FROM audit_entries WHERE seq >= ${from} ORDER BY seq LIMIT ${limit}) AS page`),
  );
  const batch = rows[0]?.batch;
  return batch ? (JSON.parse(batch) as EntryTuple[]) : [];
}

function leafHashOfTuple(row: EntryTuple): Buffer {
  return auditLeafHashBytes({
    seq: row[0],
    at: row[1],
    actor: row[2],
    action: row[3],
    objectType: row[4],
    objectId: row[5],
    payloadHash: row[6],
  });
}

/** An audit_entries row as the driver returns it. */
export type AuditEntryRow = {
  seq: string | number;
  at: Date;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  payload_hash: string;
  leaf_hash: string;
  chain_hash: string;
};

/** The same batch for PostgreSQL, whose driver decodes plain rows fastest (json_agg and to_char cost more there). */
async function readBatchAsRows(db: Db, from: number, limit: number): Promise<EntryTuple[]> {
  const rows = rowsOf<AuditEntryRow>(
    await db.execute(sql`SELECT seq, at, actor, action, object_type, object_id, payload_hash, leaf_hash, chain_hash
      FROM audit_entries WHERE seq >= ${from} ORDER BY seq LIMIT ${limit}`),
  );
  return rows.map((r) => [
    Number(r.seq),
    new Date(r.at).toISOString(),
    r.actor,
    r.action,
    r.object_type,
    r.object_id,
    r.payload_hash,
    r.leaf_hash,
    r.chain_hash,
  ]);
}
