// Merkle Tree Hash (RFC 9162 §2.1.1) over whole leaf lists and their prefixes.
import { EMPTY_ROOT, isTreeIndex } from './merkle-hash.ts';
import { foldStack, pushLeaf } from './merkle-stack.ts';

/** MTH(D[start:end]) for leaf hashes already computed: the root of one contiguous range. */
export function rangeRoot(leafHashes: readonly Uint8Array[], start: number, end: number): Buffer {
  if (!isTreeIndex(start) || !isTreeIndex(end) || start > end || end > leafHashes.length) {
    throw new RangeError(`rangeRoot: [${start}, ${end}) is not a range of ${leafHashes.length} leaves`);
  }
  // Rooting a range equals rooting a tree of its leaves alone, since the split points are relative.
  const stack: Buffer[] = [];
  for (let i = start; i < end; i++) pushLeaf(stack, i - start, leafHashes[i]!);
  return foldStack(stack);
}

/** MTH(D[n]): the RFC 9162 root of a list of leaf hashes (SHA-256("") when empty). */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Buffer {
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * Roots of several prefixes of one leaf sequence in a single pass, e.g. to check many signed tree
 * heads at once. Accepts any iterable, so leaves can stream from storage. Throws if a size is
 * larger than the number of leaves.
 */
export function rootAtSizes(leafHashes: Iterable<Uint8Array>, sizes: readonly number[]): Map<number, Buffer> {
  for (const size of sizes) {
    if (!isTreeIndex(size)) throw new RangeError(`rootAtSizes: ${size} is not a tree size`);
  }
  const wanted = [...new Set(sizes)].sort((a, b) => a - b);
  const roots = new Map<number, Buffer>();
  let next = 0;
  if (wanted[0] === 0) {
    roots.set(0, EMPTY_ROOT);
    next++;
  }
  const stack: Buffer[] = [];
  let size = 0;
  for (const leaf of leafHashes) {
    if (next >= wanted.length) break;
    pushLeaf(stack, size, leaf);
    size++;
    if (wanted[next] === size) {
      roots.set(size, foldStack(stack));
      next++;
    }
  }
  if (next < wanted.length) {
    throw new RangeError(`rootAtSizes: size ${wanted[next]} is larger than the ${size} leaves given`);
  }
  return roots;
}
