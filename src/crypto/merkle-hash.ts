// RFC 9162 §2.1.1 hashing: domain-separated so that a leaf can never be passed off as an inner node.
import { createHash, hash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = hash('sha256', '', 'buffer');

/** Leaf hash: SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array | string): Buffer {
  const bytes = typeof entry === 'string' ? Buffer.from(entry, 'utf8') : entry;
  // A large entry (a megabyte evidence chunk) is hashed in two updates rather than copied behind the
  // prefix; a small one in one call, which is cheaper than a hash object.
  if (bytes.length > 4096) return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
  const input = Buffer.allocUnsafe(bytes.length + 1);
  input[0] = 0x00;
  input.set(bytes, 1);
  return hash('sha256', input, 'buffer');
}

// One reused input buffer: node hashing dominates tree work, and this avoids an allocation per node.
// Safe because hash() is synchronous and copies nothing back out of it.
const scratch = Buffer.alloc(1 + 2 * HASH_SIZE);
scratch[0] = 0x01;

/** Inner node hash: SHA-256(0x01 || left || right). Both children must be 32-byte hashes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new RangeError(`nodeHash: children must be ${HASH_SIZE}-byte hashes`);
  }
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', scratch, 'buffer');
}

/** The largest power of two strictly smaller than n (n >= 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether a value is a usable tree size or index: a safe non-negative integer. */
export function isTreeIndex(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Plain equality of two hashes: roots and proofs are public, so a timing-safe compare buys nothing. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
