// Buffers for chunk records, used again and again. A chunk record is a megabyte: a fresh buffer per
// chunk lives through the receiver's write and sync, survives the young-generation collections and
// then waits for a full one, so the node's memory grew by a hundred megabytes and more during a
// transfer. A buffer taken here goes back once the chunk is stored; when none is free (more chunks in
// flight than usual), a new one is made, and kept only while the pool is not full.
export type RecordPool = {
  /** A buffer of `length` bytes (at most the pool's size): the start of a pooled buffer. */
  take(length: number): Buffer;
  /** Gives a buffer from take() back; nothing else may hold it any more. */
  give(buffer: Buffer): void;
};

export function recordPool(size: number, kept: number): RecordPool {
  const free: ArrayBuffer[] = [];
  return {
    take(length) {
      if (length > size) throw new RangeError(`a pooled record holds at most ${size} bytes`);
      // allocUnsafeSlow: a buffer of its own, never a slice of node's shared pool.
      const memory = free.pop() ?? (Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer);
      return Buffer.from(memory, 0, length);
    },
    give(buffer) {
      const memory = buffer.buffer;
      if (memory instanceof ArrayBuffer && memory.byteLength === size && free.length < kept)
        if (!free.includes(memory)) free.push(memory);
    },
  };
}
