// The Merkle log's public surface (RFC 9162 style): hashing, frontiers, roots and proofs.

export {
  appendLeaf,
  appendLeaves,
  assertFrontier,
  emptyFrontier,
  frontierFromLeafHashes,
  frontierRoot,
  type MerkleFrontier,
} from './merkle-frontier.ts';
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash } from './merkle-hash.ts';
export { inclusionProofFromLevels, type MerkleLevels, merkleLevels } from './merkle-levels.ts';
export {
  consistencyProof,
  consistencyProofFromFrontier,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proofs.ts';
export { rangeRoot, rootAtSizes, rootFromLeafHashes } from './merkle-tree.ts';
