// A hash worker of `audit verify`: checks the batches the main thread transfers to it as segments
// (check-fast-batch.ts), so that several batches are hashed at once while the database renders the next.
// It keeps no state: each segment stands alone, and the main thread joins them in order.
import { parentPort, workerData } from 'node:worker_threads';
import { checkBinarySegment } from './check-binary-batch.ts';
import { checkSegment, type Segment } from './check-fast-batch.ts';

/** The batch is the first `length` bytes; `binary`: a binary COPY (check-binary-batch.ts), else the text form. */
export type HashRequest = { batch: ArrayBuffer; length: number; from: number; binary: boolean };
/** The segment, or null when the batch has an anomaly and goes to the exact path. */
export type HashReply = Segment | null;

const headSizes = (workerData as { headSizes: number[] }).headSizes;
parentPort!.on('message', ({ batch, length, from, binary }: HashRequest) => {
  const check = binary ? checkBinarySegment : checkSegment;
  parentPort!.postMessage(check(Buffer.from(batch, 0, length), from, headSizes) satisfies HashReply);
});
