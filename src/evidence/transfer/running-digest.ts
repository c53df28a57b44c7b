// The SHA-256 of an item being received, taken in chunk order as the chunks are stored, so that the
// completion need not read every chunk back and decrypt it again. Chunks arrive a little out of order
// (several in flight): a few that come early wait here, their number bounded; one further ahead is not
// kept, and the digest then stops at the gap, where the completion goes on by reading the store. A
// restarted node starts with nothing here and reads the whole item, as before. The bytes passed in are
// only lent (the receiver seals over them next): an early chunk is copied into a buffer kept for that.
import { createHash, type Hash } from 'node:crypto';
import { CHUNK_SIZE } from '../evidence-crypto.ts';

/** Early chunks kept per item (1 MiB each), and items followed at once. */
const AHEAD = 8;
const ITEMS = 4;

type Running = { hash: Hash; next: number; ahead: Map<number, Buffer> };

export function runningDigests() {
  const items = new Map<string, Running>();
  // Buffers for early chunks, used again: a copy per early chunk would be a megabyte of garbage each.
  const spare: Buffer[] = [];
  function keep(plain: Buffer): Buffer {
    if (plain.length > CHUNK_SIZE) return Buffer.from(plain);
    const copy = (spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_SIZE)).subarray(0, plain.length);
    plain.copy(copy);
    return copy;
  }
  function giveBack(copy: Buffer): void {
    if (copy.buffer.byteLength === CHUNK_SIZE && spare.length < AHEAD)
      spare.push(Buffer.from(copy.buffer, copy.byteOffset, CHUNK_SIZE));
  }
  function drop(run: Running | undefined): void {
    for (const copy of run?.ahead.values() ?? []) giveBack(copy);
  }
  return {
    /** Chunk `index` of `id` is stored and checked: its bytes join the digest when their turn comes. */
    stored(id: string, index: number, plain: Buffer): void {
      let run = items.get(id);
      if (!run) {
        // Only a digest from the first chunk is of use; a resumed item is read back whole. The chunks
        // in flight at the start may overtake chunk 0: one among the first few starts the digest too
        // (and waits for chunk 0), or one such overtaking cost a read-back of the whole item.
        if (index >= AHEAD) return;
        if (items.size >= ITEMS) {
          const oldest = items.keys().next().value!;
          drop(items.get(oldest));
          items.delete(oldest);
        }
        run = { hash: createHash('sha256'), next: 0, ahead: new Map() };
        items.set(id, run);
      }
      if (index < run.next || run.ahead.has(index)) return;
      if (index > run.next) {
        if (run.ahead.size < AHEAD) run.ahead.set(index, keep(plain));
        return;
      }
      run.hash.update(plain);
      run.next++;
      for (let early = run.ahead.get(run.next); early; early = run.ahead.get(run.next)) {
        run.ahead.delete(run.next);
        run.hash.update(early);
        giveBack(early);
        run.next++;
      }
    },
    /** The digest so far and how many chunks it covers (0 and a fresh hash if none), forgotten here. */
    take(id: string): { hash: Hash; next: number } {
      const run = items.get(id);
      items.delete(id);
      drop(run);
      return run ? { hash: run.hash, next: run.next } : { hash: createHash('sha256'), next: 0 };
    },
    forget(id: string): void {
      drop(items.get(id));
      items.delete(id);
    },
  };
}
