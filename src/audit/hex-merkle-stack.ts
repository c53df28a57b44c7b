// The Merkle compact range of merkle-stack.ts with hashes kept as hex strings. Verification reads and
// compares hex anyway, and a hex string is a plain V8 value, whereas a Buffer per hash is an external
// allocation: over a million entries that allocation cost more than the hashing itself.
import { hash } from 'node:crypto';
import { EMPTY_ROOT } from '../crypto/merkle-hash.ts';

// RFC 9162 inner node input 0x01 || left || right, reused: hash() is synchronous and keeps no reference.
const nodeInput = Buffer.alloc(65);
nodeInput[0] = 0x01;

/** The inner node hash of two hex hashes (64 lowercase hex characters each), as hex. */
export function nodeHashHex(left: string, right: string): string {
  nodeInput.write(left, 1, 32, 'hex');
  nodeInput.write(right, 33, 32, 'hex');
  return hash('sha256', nodeInput, 'hex');
}

/** Appends one leaf hash (hex) to a stack that describes `size` leaves. Mutates `stack`. */
export function pushLeafHex(stack: string[], size: number, leafHex: string): void {
  let node = leafHex;
  // Each trailing one bit of size is a complete subtree of the same height as `node`: merge them.
  for (let s = size; s % 2 === 1; s = (s - 1) / 2) node = nodeHashHex(stack.pop()!, node);
  stack.push(node);
}

/** The RFC 9162 root (hex) of the tree a stack describes. */
export function foldStackHex(stack: readonly string[]): string {
  if (stack.length === 0) return EMPTY_ROOT.toString('hex');
  let root = stack[stack.length - 1]!;
  for (let i = stack.length - 2; i >= 0; i--) root = nodeHashHex(stack[i]!, root);
  return root;
}
