// The hashing half of checking one batch as a segment (check-fast-batch.ts says what a segment proves).
// The parser of a batch form (check-binary-batch.ts) writes every entry's leaf bytes one after another
// and gathers the stored hashes; this file then hashes the whole batch in a few calls of a Sha256Each
// (native when built: see native/sha256-each.c) rather than three node:crypto calls per entry:
// - the leaves, in one call, each compared with its stored leaf hash;
// - every chain link but the first, in one call: link i hashes the stored chain hash of entry i-1 and
//   the stored leaf hash of entry i (already proved equal to the computed one), so the links do not
//   wait on each other; the first link is the joiner's (join-segment.ts);
// - the Merkle tree, a level per call; the compact range at any size within the batch is then read off
//   the levels (a complete subtree per one bit of the size), as RFC 9162's stack would hold it.
import type { Sha256Each } from '../crypto/native-audit-hash.ts';
import type { LeafScratch } from './fast-leaf-bytes.ts';
import type { Segment } from './segment.ts';

const DIGEST = 32;
const HEX = 64;
/** A link's input: a stored chain hash then a stored leaf hash, both hex. */
const LINK = 2 * HEX;
/** RFC 9162 inner node input: 0x01, left, right. */
const NODE = 1 + 2 * DIGEST;

/** A batch as its parser leaves it for hashing. */
export type ParsedBatch = {
  /** Entries parsed so far. */
  count: number;
  /** The leaf bytes (0x00 then the canonical JSON) of entry i end at leafEnds[i], the next starts there. */
  leaves: LeafScratch;
  leafEnds: Uint32Array;
  /**
   * LINK bytes per entry i: the stored chain hash of entry i-1 (unknown for the first), then the stored
   * leaf hash of entry i; one more region holds the last entry's stored chain hash in its first half.
   */
  links: Buffer;
};

export function parsedBatch(entries: number): ParsedBatch {
  return {
    count: 0,
    leaves: { bytes: Buffer.allocUnsafe(Math.max(4096, 256 * entries)), length: 0 },
    leafEnds: new Uint32Array(Math.max(1, entries)),
    links: Buffer.alloc(LINK * (entries + 1)),
  };
}

/** Makes room for `bytes` more leaf bytes, copying what is written; the parser then writes from `leaves.length`. */
export function reserveLeafBytes(parsed: ParsedBatch, bytes: number): void {
  const { leaves } = parsed;
  if (leaves.length + bytes <= leaves.bytes.length) return;
  const grown = Buffer.allocUnsafe(2 * (leaves.length + bytes));
  leaves.bytes.copy(grown, 0, 0, leaves.length);
  leaves.bytes = grown;
}

/**
 * Ends entry `count`: its leaf bytes end at leaves.length; its stored leaf and chain hashes are the 64
 * bytes at `leafAt` and `chainAt` of `source`. Returns false when the batch holds more entries than planned.
 */
export function endEntry(parsed: ParsedBatch, source: Buffer, leafAt: number, chainAt: number): boolean {
  const i = parsed.count;
  if (i >= parsed.leafEnds.length) return false;
  parsed.leafEnds[i] = parsed.leaves.length;
  source.copy(parsed.links, LINK * i + HEX, leafAt, leafAt + HEX);
  source.copy(parsed.links, LINK * (i + 1), chainAt, chainAt + HEX);
  parsed.count = i + 1;
  return true;
}

/**
 * Hashes a parsed batch whose first entry is `from` and returns its segment, or null when a computed
 * hash differs from the stored one. `headSizes` are the sizes of all signed tree heads, sorted.
 */
export function hashSegment(
  parsed: ParsedBatch,
  from: number,
  headSizes: readonly number[],
  sha256Each: Sha256Each,
): Segment | null {
  const n = parsed.count;
  if (n === 0) return null;
  const { links } = parsed;
  const leaves = Buffer.allocUnsafe(DIGEST * n);
  sha256Each(parsed.leaves.bytes, parsed.leafEnds.subarray(0, n), leaves);
  const leafHex = Buffer.from(leaves.toString('hex'), 'latin1');
  for (let i = 0; i < n; i++) if (!sameBytes(leafHex, HEX * i, links, LINK * i + HEX)) return null;
  if (n > 1) {
    const chains = Buffer.allocUnsafe(DIGEST * (n - 1));
    sha256Each(links.subarray(LINK, LINK * n), strided(LINK, n - 1), chains);
    const chainHex = Buffer.from(chains.toString('hex'), 'latin1');
    for (let i = 1; i < n; i++) if (!sameBytes(chainHex, HEX * (i - 1), links, LINK * (i + 1))) return null;
  }
  return segmentOfLeaves(
    leaves,
    n,
    links.subarray(LINK, LINK + HEX),
    links.subarray(LINK * n, LINK * n + HEX),
    from,
    headSizes,
    sha256Each,
  );
}

/**
 * The segment of `n` entries from `from` whose leaf digests are `leaves` (32 bytes each) and whose
 * links inside the batch are proved: the Merkle levels, and the compact ranges at the batch's end and at
 * each signed tree head inside it. `firstChain` and `lastChain` are the stored chain hashes (hex bytes)
 * of the first and last entries.
 */
export function segmentOfLeaves(
  leaves: Buffer,
  n: number,
  firstChain: Buffer,
  lastChain: Buffer,
  from: number,
  headSizes: readonly number[],
  sha256Each: Sha256Each,
): Segment {
  const levels = merkleLevels(leaves, n, sha256Each);
  const headStacks: string[][] = [];
  for (const size of headSizes) {
    if (size >= from && size < from + n) headStacks.push(stackAt(levels, size - from + 1));
  }
  return {
    count: n,
    firstLeaf: leaves.toString('hex', 0, DIGEST),
    firstChain: firstChain.toString('latin1'),
    lastChain: lastChain.toString('latin1'),
    stack: stackAt(levels, n),
    headStacks,
  };
}

/** Level 0 is the leaves; level k+1 hashes the pairs of level k, an odd node left out. */
function merkleLevels(leaves: Buffer, n: number, sha256Each: Sha256Each): Buffer[] {
  const levels = [leaves];
  const input = Buffer.allocUnsafe(NODE * (n >> 1));
  for (let count = n >> 1; count > 0; count >>= 1) {
    const below = levels[levels.length - 1]!;
    for (let j = 0; j < count; j++) {
      input[NODE * j] = 0x01;
      below.copy(input, NODE * j + 1, 2 * DIGEST * j, 2 * DIGEST * (j + 1));
    }
    const level = Buffer.allocUnsafe(DIGEST * count);
    sha256Each(input.subarray(0, NODE * count), strided(NODE, count), level);
    levels.push(level);
  }
  return levels;
}

/** The compact range (hex, largest subtree first) of the first `size` leaves. */
function stackAt(levels: readonly Buffer[], size: number): string[] {
  const stack: string[] = [];
  let start = 0;
  for (let height = levels.length - 1; height >= 0; height--) {
    const width = 2 ** height;
    if ((size & width) === 0) continue;
    const at = DIGEST * (start / width);
    stack.push(levels[height]!.toString('hex', at, at + DIGEST));
    start += width;
  }
  return stack;
}

/** Whether the 64 bytes at `at` of `a` equal those at `bAt` of `b`. */
function sameBytes(a: Buffer, at: number, b: Buffer, bAt: number): boolean {
  for (let k = 0; k < HEX; k++) if (a[at + k] !== b[bAt + k]) return false;
  return true;
}

const stridedCache = new Map<number, Uint32Array>();

/** The ends stride, 2 × stride, …, count × stride (a view of a cached array). */
function strided(stride: number, count: number): Uint32Array {
  let ends = stridedCache.get(stride);
  if (!ends || ends.length < count) {
    ends = new Uint32Array(Math.max(count, 2 * (ends?.length ?? 0)));
    for (let i = 0; i < ends.length; i++) ends[i] = stride * (i + 1);
    stridedCache.set(stride, ends);
  }
  return ends.subarray(0, count);
}
