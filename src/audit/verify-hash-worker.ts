// A hash worker of `audit verify`: checks the batches the main thread transfers to it as segments
// (check-fast-batch.ts), so that several batches are hashed at once while the database renders the next.
// It keeps no state: each segment stands alone, and the main thread joins them in order.
import { parentPort, workerData } from 'node:worker_threads';
import { hashingFor } from '../crypto/native-audit-hash.ts';
import { checkBinarySegment } from './check-binary-batch.ts';
import { checkSegment } from './check-fast-batch.ts';
import type { Segment } from './segment.ts';

/** What a worker is started with: the tree head sizes, the batch size, and whether to hash natively. */
export type HashWorkerData = { headSizes: number[]; entries: number; nativeHash: boolean };
/** The batch is the first `length` bytes; `binary`: a binary COPY (check-binary-batch.ts), else the text form. */
export type HashRequest = { batch: ArrayBuffer; length: number; from: number; binary: boolean };
/**
 * The segment, or null when the batch has an anomaly and goes to the exact path; and the batch's
 * memory, moved back so that the next batch is read into it.
 */
export type HashReply = { segment: Segment | null; batch: ArrayBuffer };

const { headSizes, entries, nativeHash } = workerData as HashWorkerData;
const hashing = hashingFor(nativeHash);
parentPort!.on('message', ({ batch, length, from, binary }: HashRequest) => {
  const check = binary ? checkBinarySegment : checkSegment;
  const segment = check(Buffer.from(batch, 0, length), from, headSizes, entries, hashing);
  parentPort!.postMessage({ segment, batch } satisfies HashReply, [batch]);
});
