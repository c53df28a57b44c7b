// Every level of one RFC 9162 tree kept, for many inclusion proofs of the same tree: built once in
// O(n), each proof is then O(log n) lookups instead of inclusionProof's O(n) hashing per leaf. Built
// bottom-up, a level's last node without a partner moves up unchanged: that is RFC 9162's
// left-balanced tree (split at the largest power of two below the size), level by level.
import { nodeHash } from './merkle-hash.ts';

export type MerkleLevels = readonly (readonly Buffer[])[];

/** The levels of the tree over these leaf hashes, leaves first and the root (one node) last. */
export function merkleLevels(leafHashes: readonly Buffer[]): MerkleLevels {
  const levels: Buffer[][] = [[...leafHashes]];
  for (let level = levels[0]!; level.length > 1; ) {
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) up.push(level.at(-1)!);
    levels.push(up);
    level = up;
  }
  return levels;
}

/** PATH(index, D[n]) read from the levels: equals inclusionProof(index, leaves), leaf side first. */
export function inclusionProofFromLevels(index: number, levels: MerkleLevels): Buffer[] {
  const size = levels[0]?.length ?? 0;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`inclusionProofFromLevels: leaf ${index} is not in a tree of ${size} leaves`);
  const path: Buffer[] = [];
  let at = index;
  for (const level of levels.slice(0, -1)) {
    const sibling = at % 2 === 1 ? at - 1 : at + 1;
    // A last node without a partner has no sibling at this level: it moves up as it is.
    if (sibling < level.length) path.push(level[sibling]!);
    at = Math.floor(at / 2);
  }
  return path;
}
