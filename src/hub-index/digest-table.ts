// An open-addressing multimap from 96-bit keys to uint32 ids in ONE typed array: four words per
// slot (key a, key b, key c, id), 16 bytes, four slots to a 64-byte cache line, so a probe usually
// costs one cache miss. Linear probing, no tombstones (backward-shift deletion), no JS object per
// entry for the garbage collector. The capacity is any whole number, not a power of two (the home
// slot is key b scaled to the capacity), so the table can grow by half rather than double: at most
// 75 % full, 50 % right after growing, which holds it between 21 and 32 bytes per entry. A table
// sized up front for n entries starts 55 % full (29 bytes per entry): misses, most of a check's
// traffic, then scan shorter runs (measured 20 % more lookups a second than at 65 %).
//
// Why 96 bits: the table keeps no values, so a match of keys is taken as a match of values. With
// n entries a lookup of an absent value matches some entry with probability about n / 2^96
// (1.3e-22 at n = 10^7): at 5,000,000 lookups a second, once in some 50 million years. A 64-bit key
// would give one false match every few days at that rate. Callers that load the matched rows
// anyway can still compare the stored value and make it exact.
//
// A key may hold several ids (one indicator value in several alerts); a (key, id) pair is held once.
// Id 0 marks an empty slot, so ids run from 1 to 2^32 - 1. Key word b picks the home slot, so keys
// must be well mixed (hash96 or a seeded mix of a digest).
//
// Home slots grow with key b (b * cap / 2^32), so a run never wraps except at the end of the array,
// which the cyclic test in remove() handles.

const MAX_LOAD = 0.75;
const SIZED_LOAD = 0.55;
const GROWTH = 1.5;
const MIN_CAPACITY = 16;
const MAX_CAPACITY = 2 ** 28;

function capacityFor(entries: number): number {
  const capacity = Math.max(MIN_CAPACITY, Math.ceil(entries / SIZED_LOAD));
  if (capacity > MAX_CAPACITY) throw new RangeError(`digest table cannot hold ${entries} entries`);
  return capacity;
}

export function assertId(id: number): void {
  if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) {
    throw new RangeError(`index ids must be integers from 1 to 4294967295, not ${id}`);
  }
}

export class DigestTable {
  private slots: Uint32Array;
  private cap: number;
  /** cap / 2^32: key b (uniform over 32 bits) times this is a uniform home slot in [0, cap). */
  private scale: number;
  private count = 0;
  /** Written by the warm-up loads of countMany so the JIT cannot drop them. */
  private sink = 0;

  constructor(expectedEntries = 0) {
    const capacity = capacityFor(expectedEntries);
    this.slots = new Uint32Array(capacity * 4);
    this.cap = capacity;
    this.scale = capacity / 4294967296;
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Bytes held by the table's array. */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** Adds (key, id); false when that exact pair is already present. */
  add(a: number, b: number, c: number, id: number): boolean {
    assertId(id);
    if (this.count + 1 > this.cap * MAX_LOAD) this.grow();
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    const { slots, cap, scale } = this;
    let slot = (b * scale) | 0;
    for (;;) {
      const at = slot << 2;
      const stored = slots[at + 3]!;
      if (stored === 0) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = c;
        slots[at + 3] = id;
        this.count++;
        return true;
      }
      if (stored === id && slots[at + 1] === b && slots[at] === a && slots[at + 2] === c) return false;
      if (++slot === cap) slot = 0;
    }
  }

  /** Removes (key, id); false when the pair was not there. */
  remove(a: number, b: number, c: number, id: number): boolean {
    const slot = this.slotOf(a, b, c, id);
    if (slot < 0) return false;
    const { slots, cap, scale } = this;
    // Backward shift: pull later members of the run into the hole unless that would move one
    // before its home slot, so lookups never need tombstones.
    let hole = slot;
    let next = slot;
    for (;;) {
      if (++next === cap) next = 0;
      const from = next << 2;
      if (slots[from + 3] === 0) break;
      const home = (slots[from + 1]! * scale) | 0;
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      slots.copyWithin(hole << 2, from, from + 4);
      hole = next;
    }
    slots.fill(0, hole << 2, (hole << 2) + 4);
    this.count--;
    return true;
  }

  /** Appends every id stored under the key to `out` and answers how many there were. */
  lookupInto(a: number, b: number, c: number, out: number[]): number {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    const { slots, cap, scale } = this;
    let slot = (b * scale) | 0;
    let found = 0;
    for (;;) {
      const at = slot << 2;
      const id = slots[at + 3]!;
      if (id === 0) return found;
      if (slots[at + 1] === b && slots[at] === a && slots[at + 2] === c) {
        out.push(id);
        found++;
      }
      if (++slot === cap) slot = 0;
    }
  }

  /** Whether the exact (key, id) pair is held. */
  has(a: number, b: number, c: number, id: number): boolean {
    return this.slotOf(a, b, c, id) >= 0;
  }

  /** The slot holding the exact (key, id) pair, or -1. */
  private slotOf(a: number, b: number, c: number, id: number): number {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    const { slots, cap, scale } = this;
    let slot = (b * scale) | 0;
    for (;;) {
      const at = slot << 2;
      const stored = slots[at + 3]!;
      if (stored === 0) return -1;
      if (stored === id && slots[at + 1] === b && slots[at] === a && slots[at + 2] === c) return slot;
      if (++slot === cap) slot = 0;
    }
  }

  /** How many ids the key holds, without collecting them. */
  countKey(a: number, b: number, c: number): number {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    const { slots, cap, scale } = this;
    let slot = (b * scale) | 0;
    let found = 0;
    for (;;) {
      const at = slot << 2;
      if (slots[at + 3] === 0) return found;
      if (slots[at + 1] === b && slots[at] === a && slots[at + 2] === c) found++;
      if (++slot === cap) slot = 0;
    }
  }

  /**
   * Counts for n keys given as a packed array (three words per key), written to out[outOffset + i].
   * The home slots of a group are loaded first, all at once: those loads do not depend on each
   * other, so the CPU overlaps their cache misses instead of paying them one after another.
   */
  countMany(keys: Uint32Array, n: number, out: Uint32Array, outOffset = 0): void {
    const { slots, scale } = this;
    const GROUP = 16;
    let sink = 0;
    for (let start = 0; start < n; start += GROUP) {
      const end = Math.min(n, start + GROUP);
      for (let i = start; i < end; i++) sink ^= slots[(((keys[i * 3 + 1]! * scale) | 0) << 2) + 3]!;
      for (let i = start; i < end; i++) {
        out[outOffset + i] = this.countKey(keys[i * 3]!, keys[i * 3 + 1]!, keys[i * 3 + 2]!);
      }
    }
    this.sink ^= sink;
  }

  clear(): void {
    this.slots.fill(0);
    this.count = 0;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = Math.ceil(this.cap * GROWTH);
    if (capacity > MAX_CAPACITY) throw new RangeError('digest table is full');
    this.slots = new Uint32Array(capacity * 4);
    this.cap = capacity;
    this.scale = capacity / 4294967296;
    const { slots, cap, scale } = this;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 3] === 0) continue;
      let slot = (old[at + 1]! * scale) | 0;
      while (slots[(slot << 2) + 3] !== 0) if (++slot === cap) slot = 0;
      slots.set(old.subarray(at, at + 4), slot << 2);
    }
  }
}
