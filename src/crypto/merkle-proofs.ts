// RFC 9162 §2.1.3 and §2.1.4: inclusion and consistency proofs, made from leaf hashes and checked
// against roots. Sizes go beyond 2^32 in principle, so halving uses arithmetic, not bit shifts.
import { isTreeIndex, nodeHash, sameHash, splitPoint } from './merkle-hash.ts';
import { rangeRoot } from './merkle-tree.ts';

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** PATH(m, D[n]): the audit path of leaf `index` in the tree of `leaves`, leaf side first. */
export function inclusionProof(index: number, leaves: readonly Uint8Array[]): Buffer[] {
  if (!isTreeIndex(index) || index >= leaves.length) {
    throw new RangeError(`inclusionProof: leaf ${index} is not in a tree of ${leaves.length} leaves`);
  }
  const path: Buffer[] = [];
  let start = 0;
  let end = leaves.length;
  let m = index;
  const siblings: Buffer[] = [];
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      siblings.push(rangeRoot(leaves, start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeRoot(leaves, start, start + k));
      start += k;
      m -= k;
    }
  }
  // Collected root side first; the RFC orders the path from the leaf up.
  for (let i = siblings.length - 1; i >= 0; i--) path.push(siblings[i]!);
  return path;
}

/** PROOF(m, D[n]): the consistency path between the first `first` leaves and all of `leaves`. */
export function consistencyProof(first: number, leaves: readonly Uint8Array[]): Buffer[] {
  const n = leaves.length;
  if (!isTreeIndex(first) || first > n) {
    throw new RangeError(`consistencyProof: ${first} is not a size between 0 and ${n}`);
  }
  if (first === 0 || first === n) return [];
  const out: Buffer[] = [];
  let start = 0;
  let end = n;
  let m = first;
  let complete = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      out.push(rangeRoot(leaves, start + k, end));
      end = start + k;
    } else {
      out.push(rangeRoot(leaves, start, start + k));
      start += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) out.push(rangeRoot(leaves, start, end));
  return out.reverse();
}

/**
 * PROOF(m, D[n]) made from the frontier of the first m leaves and the leaves after them only, so that a
 * log proving consistency with its last checkpoint reads what was appended since, not the whole log.
 * Every subtree the proof names lies wholly in the first m leaves — then it is one of the frontier's
 * perfect subtrees, met left to right — or wholly after them. Equals consistencyProof(m, all leaves).
 */
export function consistencyProofFromFrontier(
  firstHashes: readonly Uint8Array[],
  first: number,
  after: readonly Uint8Array[],
): Buffer[] {
  const n = first + after.length;
  if (!isTreeIndex(first)) throw new RangeError(`consistencyProofFromFrontier: ${first} is not a tree size`);
  if (first === 0 || first === n) return [];
  const out: Buffer[] = [];
  let next = 0;
  const left = (): Buffer => {
    const h = firstHashes[next++];
    if (!h) throw new RangeError(`consistencyProofFromFrontier: the frontier of ${first} is short`);
    return Buffer.from(h);
  };
  let start = 0;
  let end = n;
  let m = first;
  let complete = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      out.push(rangeRoot(after, start + k - first, end - first));
      end = start + k;
    } else {
      out.push(left());
      start += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) out.push(left());
  return out.reverse();
}

/** Whether `path` proves that `leafHash` is leaf `index` of the tree of `treeSize` leaves with `root`. */
export function verifyInclusion(
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isTreeIndex(index) || !isTreeIndex(treeSize) || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of path) {
    if (sn === 0 || p.length !== r.length) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/** Whether `path` proves that the tree of `first` leaves with `firstRoot` is a prefix of the tree of `second` leaves with `secondRoot`. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!isTreeIndex(first) || !isTreeIndex(second) || first > second) return false;
  if (first === 0) return path.length === 0;
  if (first === second) return path.length === 0 && sameHash(firstRoot, secondRoot);
  const proof: Uint8Array[] = isPowerOfTwo(first) ? [firstRoot, ...path] : [...path];
  if (proof.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(proof[0]!);
  let sr: Buffer = Buffer.from(proof[0]!);
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, firstRoot) && sameHash(sr, secondRoot);
}

function isPowerOfTwo(n: number): boolean {
  let s = n;
  while (s > 1 && s % 2 === 0) s /= 2;
  return s === 1;
}
