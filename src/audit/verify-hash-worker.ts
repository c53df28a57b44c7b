// The hash worker of `audit verify`: runs checkFastBatch on batches the main thread transfers to it, so
// that on PGlite (whose queries run on the main thread) the next batch is rendered while this one is
// hashed. It keeps no state between batches: each message carries the state to start from, and the
// reply carries the state after the batch, so the main thread still advances the verification in order.
import { parentPort, workerData } from 'node:worker_threads';
import { checkFastBatch, type TreeHeadAt, type VerifyState } from './check-fast-batch.ts';

export type HashRequest = { batch: ArrayBuffer; state: VerifyState };
/** `count` as checkFastBatch returns it; `state` is the state after the batch (unchanged on -1). */
export type HashReply = { count: number; state: VerifyState };

const heads = (workerData as { heads: TreeHeadAt[] }).heads;
parentPort!.on('message', ({ batch, state }: HashRequest) => {
  const count = checkFastBatch(Buffer.from(batch), state, heads);
  parentPort!.postMessage({ count, state } satisfies HashReply);
});
