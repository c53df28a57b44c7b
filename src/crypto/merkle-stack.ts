// The working form of a compact range: the roots of the perfect subtrees that make up a tree of
// `size` leaves, one per set bit of size, largest (leftmost) first. Appending costs amortised one
// node hash and the memory is O(log n), which is what lets a log of millions of entries be rooted
// without holding its leaves.
import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './merkle-hash.ts';

/** Appends one leaf hash to a stack that currently describes `size` leaves. Mutates `stack`. */
export function pushLeaf(stack: Buffer[], size: number, leaf: Uint8Array): void {
  if (leaf.length !== HASH_SIZE) throw new RangeError(`leaf hashes must be ${HASH_SIZE} bytes`);
  let node: Buffer = Buffer.from(leaf);
  // Each trailing one bit of size is a complete subtree of the same height as `node`: merge them.
  for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
    node = nodeHash(stack.pop()!, node);
  }
  stack.push(node);
}

/** The RFC 9162 root of the tree a stack describes: fold the subtree roots from the right. */
export function foldStack(stack: readonly Buffer[]): Buffer {
  if (stack.length === 0) return EMPTY_ROOT;
  let root = stack[stack.length - 1]!;
  for (let i = stack.length - 2; i >= 0; i--) root = nodeHash(stack[i]!, root);
  return root;
}

/** Number of set bits of a safe integer (beyond 32 bits, so no bitwise operators). */
export function popcount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}
