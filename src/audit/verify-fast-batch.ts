// The fast path of `audit verify`: the database renders each batch of entries as one text value holding,
// per entry, the stored leaf hash, the stored chain hash and the entry's canonical leaf bytes. Node then
// hashes slices of that one buffer, with no per-field decoding, objects or intermediate strings.
//
// Why this proves as much as re-encoding the fields in Node: every text field goes through to_json, an
// injective JSON encoding that equals JSON.stringify (a test checks awkward strings), and the framing
// cannot be forged through any column, so the bytes hashed here are the canonical bytes of the row's
// own fields. Without injective framing a forger could delete an entry and smuggle its original line
// into a neighbour's column (a test tries exactly that). Any anomaly in a batch sends the whole batch
// to the exact path in verify-audit.ts, which decodes every field and names the first problem.
import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../store/database.ts';
import { foldStackHex, pushLeafHex } from './hex-merkle-stack.ts';

const TAB = 0x09;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const CLOSE_BRACE = 0x7d;
const HEX_LENGTH = 64;

/**
 * One batch as text, one line per entry: leaf hash, tab, chain hash, tab, leaf bytes. The stored hashes
 * are emitted only when each is exactly 64 bytes (else a '-' that fails the framing), so a tab or
 * newline written into a hash column cannot shift the framing; the leaf bytes hold no raw tab or newline
 * because to_json escapes control characters. Keys are in sorted order, as canonical JSON has them.
 * string_agg follows the page's order in practice; were it not to, the sequence check would send the
 * batch to the exact path, so correctness does not rest on it. (Measured: to_json on the two hashes
 * instead of the length test cost 10-20% more database time.)
 */
export async function readFastBatch(db: Db, from: number, limit: number): Promise<Buffer | null> {
  const rows = rowsOf<{ batch: string | null }>(
    await db.execute(sql`SELECT string_agg(concat(
        CASE WHEN octet_length(leaf_hash) = 64 AND octet_length(chain_hash) = 64
          THEN concat(leaf_hash, E'\t', chain_hash) ELSE '-' END,
        E'\t{"action":', to_json(action), ',"actor":', to_json(actor),
        ',"at":"', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '","objectId":', to_json(object_id),
        ',"objectType":', to_json(object_type), ',"payloadHash":', to_json(payload_hash), ',"seq":', seq, E'}\n'), '') AS batch
      FROM (SELECT * FROM audit_entries WHERE seq >= ${from} ORDER BY seq LIMIT ${limit}) AS page`),
  );
  const batch = rows[0]?.batch;
  return batch ? Buffer.from(batch, 'utf8') : null;
}

/** A signed tree head as verification needs it: its size and its root (hex). */
export type TreeHeadAt = { size: number; rootHash: string };

/** The running state of a verification, which the fast and the exact path both advance. */
export type VerifyState = {
  /** The next expected sequence number. */
  expected: number;
  /** The last chain hash, hex ('' before the first entry). */
  chain: string;
  /** The Merkle compact range of the entries so far, hex (see hex-merkle-stack.ts). */
  stack: string[];
  /** The next signed tree head to check, an index into the heads sorted by size. */
  headIndex: number;
  treeHeadsChecked: number;
};

/**
 * Checks one batch: sequence numbers, leaf hashes, the chain, the Merkle stack and the signed tree heads
 * that fall inside it. Returns the number of entries checked, or -1 at the first anomaly, leaving
 * `state` as it was so the caller can re-check the batch on the exact path. Advances `state` on success.
 */
export function checkFastBatch(batch: Buffer, state: VerifyState, heads: readonly TreeHeadAt[]): number {
  const stack = state.stack.slice();
  let { expected, chain, headIndex, treeHeadsChecked } = state;
  let count = 0;
  let pos = 0;
  const end = batch.length;
  while (pos < end) {
    const tab1 = pos + HEX_LENGTH;
    const tab2 = tab1 + 1 + HEX_LENGTH;
    if (tab2 >= end || batch[tab1] !== TAB || batch[tab2] !== TAB) return -1;
    const newline = batch.indexOf(NEWLINE, tab2 + 1);
    if (newline < 0 || batch[newline - 1] !== CLOSE_BRACE) return -1;
    if (parseSeqBackwards(batch, newline - 2, tab2) !== expected) return -1;
    // The separator before the leaf bytes becomes RFC 9162's 0x00 leaf prefix, so nothing is copied.
    batch[tab2] = 0x00;
    const leaf = hash('sha256', batch.subarray(tab2, newline), 'hex');
    if (leaf !== batch.toString('latin1', pos, tab1)) return -1;
    const next = hash('sha256', chain + leaf, 'hex');
    if (next !== batch.toString('latin1', tab1 + 1, tab2)) return -1;
    chain = next;
    pushLeafHex(stack, expected - 1, leaf);
    while (headIndex < heads.length && heads[headIndex]!.size <= expected) {
      if (heads[headIndex]!.size === expected) {
        if (foldStackHex(stack) !== heads[headIndex]!.rootHash) return -1;
        treeHeadsChecked++;
      }
      headIndex++;
    }
    expected++;
    count++;
    pos = newline + 1;
  }
  Object.assign(state, { expected, chain, stack, headIndex, treeHeadsChecked });
  return count;
}

/** The decimal number that ends at `last` and follows a colon after `floor`; -1 when there is none. */
function parseSeqBackwards(batch: Buffer, last: number, floor: number): number {
  let value = 0;
  let scale = 1;
  let i = last;
  for (; i > floor; i--) {
    const c = batch[i]!;
    if (c === COLON) break;
    if (c < 0x30 || c > 0x39 || scale > 1e15) return -1;
    value += (c - 0x30) * scale;
    scale *= 10;
  }
  return i > floor && scale > 1 ? value : -1;
}
