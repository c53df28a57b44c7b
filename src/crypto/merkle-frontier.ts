// The persistable form of a compact range, so an append-only log can keep its root up to date
// across restarts while storing O(log n) hashes instead of all its leaves.
import { HASH_SIZE, isTreeIndex } from './merkle-hash.ts';
import { foldStack, popcount, pushLeaf } from './merkle-stack.ts';

/** Roots of the perfect subtrees of a tree of `size` leaves: hex, one per set bit of size, left to right. */
export type MerkleFrontier = { size: number; hashes: string[] };

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The frontier of the empty tree. */
export function emptyFrontier(): MerkleFrontier {
  return { size: 0, hashes: [] };
}

/** The frontier after appending one leaf hash. Pure: the given frontier is left unchanged. */
export function appendLeaf(frontier: MerkleFrontier, leafHash: Uint8Array): MerkleFrontier {
  const stack = toStack(frontier);
  pushLeaf(stack, frontier.size, leafHash);
  return { size: frontier.size + 1, hashes: stack.map((h) => h.toString('hex')) };
}

/** The frontier after appending many leaf hashes: cheaper than repeated appendLeaf (one hex round trip). */
export function appendLeaves(frontier: MerkleFrontier, leafHashes: Iterable<Uint8Array>): MerkleFrontier {
  const stack = toStack(frontier);
  let size = frontier.size;
  for (const leaf of leafHashes) pushLeaf(stack, size++, leaf);
  return { size, hashes: stack.map((h) => h.toString('hex')) };
}

/** The frontier of a whole list of leaf hashes. */
export function frontierFromLeafHashes(leafHashes: Iterable<Uint8Array>): MerkleFrontier {
  return appendLeaves(emptyFrontier(), leafHashes);
}

/** The RFC 9162 root of the tree a frontier describes; equals rootFromLeafHashes of the same leaves. */
export function frontierRoot(frontier: MerkleFrontier): Buffer {
  return foldStack(toStack(frontier));
}

/** Throws a RangeError unless the value is a well-formed frontier (e.g. one read back from storage). */
export function assertFrontier(frontier: MerkleFrontier): void {
  if (!isTreeIndex(frontier.size)) throw new RangeError('Merkle frontier: size is not a tree size');
  if (!Array.isArray(frontier.hashes) || frontier.hashes.length !== popcount(frontier.size)) {
    throw new RangeError(
      `Merkle frontier: a tree of ${frontier.size} leaves needs ${popcount(frontier.size)} hashes`,
    );
  }
  for (const h of frontier.hashes) {
    if (typeof h !== 'string' || !HEX_HASH.test(h)) {
      throw new RangeError(`Merkle frontier: hashes must be ${HASH_SIZE * 2} lowercase hex characters`);
    }
  }
}

function toStack(frontier: MerkleFrontier): Buffer[] {
  assertFrontier(frontier);
  return frontier.hashes.map((h) => Buffer.from(h, 'hex'));
}
