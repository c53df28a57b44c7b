// What the fast path of audit verification passes between its files: the segment a batch proves about
// itself, the running state the segments are joined into, and a signed tree head as checking needs it.
// Its own file, below both the parsers (check-*-batch.ts) and the hasher (hash-segment.ts), so that
// neither has to import the other for the types.

/** A signed tree head as verification needs it: its size and its root (hex). */
export type TreeHeadAt = { size: number; rootHash: string };

/** The running state of a verification, which the exact path and the joining of segments advance. */
export type VerifyState = {
  /** The next expected sequence number. */
  expected: number;
  /** The last chain hash, hex ('' before the first entry). */
  chain: string;
  /** The Merkle compact range of the entries so far, hex (see hex-merkle-stack.ts). */
  stack: string[];
  /** The next signed tree head to check, an index into the heads sorted by size. */
  headIndex: number;
  treeHeadsChecked: number;
};

/** What one batch proves about itself; the main thread joins it to the entries before it. */
export type Segment = {
  /** Entries checked: the batch's consecutive sequence numbers from `from`. */
  count: number;
  /** The first entry's leaf hash, as computed, and its stored chain hash: the link to the batch before. */
  firstLeaf: string;
  firstChain: string;
  /** The last entry's stored chain hash, which every link inside the batch leads to. */
  lastChain: string;
  /** The compact range of the batch's own leaves, as if they were a whole tree. */
  stack: string[];
  /** For each signed tree head whose size falls inside the batch, in order: `stack` at that size. */
  headStacks: string[][];
};
