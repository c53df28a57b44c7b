// The hashing half of the fast path (see verify-fast-batch.ts for why it proves what the exact path
// proves). It imports nothing but crypto, so the hash worker (verify-hash-worker.ts) loads it quickly.
import { hash } from 'node:crypto';
import { leafScratch, writeLeafBytes } from './fast-leaf-bytes.ts';
import { foldStackHex, pushLeafHex } from './hex-merkle-stack.ts';

const TAB = 0x09;
const HEX_LENGTH = 64;

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
  const scratch = leafScratch();
  while (pos < end) {
    const tab1 = pos + HEX_LENGTH;
    const tab2 = tab1 + 1 + HEX_LENGTH;
    if (tab2 >= end || batch[tab1] !== TAB || batch[tab2] !== TAB) return -1;
    const newline = writeLeafBytes(batch, tab2 + 1, expected, scratch);
    if (newline < 0) return -1;
    const leaf = hash('sha256', scratch.bytes.subarray(0, scratch.length), 'hex');
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
