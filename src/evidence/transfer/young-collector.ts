// A young-generation collection every few megabytes of chunks handled (received, or read and sent).
// Node's ciphers and sockets answer new buffers (a socket read, each piece decrypted or sealed): three
// megabytes of garbage per chunk, dead at once, but outside V8's heap, so V8 collects it only when its
// JavaScript heap asks or when some 64 MB of such buffers have piled up; measured, the receiver's
// memory grew by a hundred megabytes during a transfer. A scavenge of the young generation frees them
// (measured: 5 to 8 ms on two loaded cores, every 2 MiB).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major' }) => void;

let collect: Collect | null | undefined;

/** V8's gc(), taken from a fresh context when node was not started with --expose-gc (not exposed here). */
function collector(): Collect | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (typeof exposed === 'function') {
    collect = exposed;
    return collect;
  }
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  } catch {
    collect = null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

/** Chunk bytes handled between two young-generation collections, on either side of a transfer. */
const COLLECT_EVERY = 2 * 1024 * 1024;

/** Counts bytes handled; every `everyBytes` of them, collects the young generation. */
export function youngCollector(everyBytes = COLLECT_EVERY) {
  let since = 0;
  return {
    handled(bytes: number): void {
      since += bytes;
      if (since < everyBytes) return;
      since = 0;
      collector()?.({ type: 'minor' });
    },
  };
}
