// The hashing half of the fast path (see verify-fast-batch.ts for why it proves what the exact path
// proves). A batch is checked as a segment on its own, with no state from the batches before it, so
// that several workers can hash batches at once: the stored chain hashes let each link be checked from
// the row before it, and an aligned batch of 2^k entries is one complete Merkle subtree. The main thread
// then joins the segments in order (join-segment.ts), checking the one link and the tree heads that span
// them. This file reads the text form (PGlite's); hash-segment.ts hashes what it gathers. It imports no
// database code, so the hash workers (verify-hash-worker.ts) load it quickly.
import type { Hashing } from '../crypto/native-audit-hash.ts';
import { writeLeafBytes } from './fast-leaf-bytes.ts';
import { endEntry, hashSegment, parsedBatch } from './hash-segment.ts';
import type { Segment } from './segment.ts';

export type { Segment, TreeHeadAt, VerifyState } from './segment.ts';

const TAB = 0x09;
const HEX_LENGTH = 64;

/**
 * Checks one batch starting at sequence number `from`: sequence numbers, leaf hashes, every chain link
 * after the first, and the batch's own Merkle subtrees, hashing with `sha256Each` (hash-segment.ts).
 * `headSizes` are the sizes of all signed tree heads, sorted; `entries` bounds the entries the batch may
 * hold (the batch size). Returns null at the first anomaly, leaving the batch to the exact path.
 */
export function checkSegment(
  batch: Buffer,
  from: number,
  headSizes: readonly number[],
  entries: number,
  { sha256Each }: Hashing,
): Segment | null {
  const parsed = parsedBatch(entries);
  const { leaves } = parsed;
  let expected = from;
  let pos = 0;
  const end = batch.length;
  while (pos < end) {
    const tab1 = pos + HEX_LENGTH;
    const tab2 = tab1 + 1 + HEX_LENGTH;
    if (tab2 >= end || batch[tab1] !== TAB || batch[tab2] !== TAB) return null;
    const newline = writeLeafBytes(batch, tab2 + 1, expected, leaves, leaves.length);
    if (newline < 0 || !endEntry(parsed, batch, pos, tab1 + 1)) return null;
    expected++;
    pos = newline + 1;
  }
  return hashSegment(parsed, from, headSizes, sha256Each);
}
