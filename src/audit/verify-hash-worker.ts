// A hash worker of `audit verify`: checks the batches the main thread transfers to it as segments
// (check-fast-batch.ts), so that several batches are hashed at once while the database renders the next.
// It keeps no state: each segment stands alone, and the main thread joins them in order.
import { parentPort, workerData } from 'node:worker_threads';
import { checkSegment, type Segment } from './check-fast-batch.ts';

export type HashRequest = { batch: ArrayBuffer; from: number };
/** The segment, or null when the batch has an anomaly and goes to the exact path. */
export type HashReply = Segment | null;

const headSizes = (workerData as { headSizes: number[] }).headSizes;
parentPort!.on('message', ({ batch, from }: HashRequest) => {
  parentPort!.postMessage(checkSegment(Buffer.from(batch), from, headSizes) satisfies HashReply);
});
