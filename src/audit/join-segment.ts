// Joins a batch checked on its own (check-fast-batch.ts) to the entries verified before it. Together the
// two prove what checking every entry in order proves: the segment checked every link but its first,
// which is checked here from the chain so far; and a batch that starts at a multiple of the batch size
// 2^k holds either one complete subtree of 2^k leaves (a full batch) or, as the last batch, subtrees
// smaller than any already on the stack, so the stack grows as it would leaf by leaf.
import { nextChainHash } from './audit-entry.ts';
import { foldStackHex, pushLeafHex } from './hex-merkle-stack.ts';
import type { Segment, TreeHeadAt, VerifyState } from './segment.ts';

/**
 * Advances `state` over a segment of `batchSize` (a power of two) entries at most, which starts at
 * `state.expected`, a multiple of batchSize plus one. Returns false, leaving `state` as it was, when the
 * link or a tree head inside the segment does not match: the caller then re-checks the batch exactly.
 */
export function joinSegment(
  state: VerifyState,
  segment: Segment,
  heads: readonly TreeHeadAt[],
  batchSize: number,
): boolean {
  const before = state.expected - 1;
  if (before % batchSize !== 0 || segment.count > batchSize) {
    throw new RangeError('joinSegment: the segment is not aligned to the batch size');
  }
  if (nextChainHash(state.chain, segment.firstLeaf) !== segment.firstChain) return false;
  const end = before + segment.count;
  let headIndex = state.headIndex;
  for (const headStack of segment.headStacks) {
    const head = heads[headIndex];
    if (!head || head.size > end || foldStackHex([...state.stack, ...headStack]) !== head.rootHash)
      return false;
    headIndex++;
  }
  // Every head at or below `end` must have come with a stack from the segment.
  if (headIndex < heads.length && heads[headIndex]!.size <= end) return false;
  if (segment.count === batchSize) pushLeafHex(state.stack, before / batchSize, segment.stack[0]!);
  else state.stack.push(...segment.stack);
  state.expected = end + 1;
  state.chain = segment.lastChain;
  state.treeHeadsChecked += headIndex - state.headIndex;
  state.headIndex = headIndex;
  return true;
}
