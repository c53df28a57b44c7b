import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DigestTable } from '../../src/hub-index/index.ts';

/** A small deterministic PRNG (mulberry32) so failures replay. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ids = (t: DigestTable, a: number, b: number, c: number) => {
  const out: number[] = [];
  t.lookupInto(a, b, c, out);
  return out.sort((x, y) => x - y);
};

describe('DigestTable', () => {
  test('add, lookup, count and remove one key', () => {
    const t = new DigestTable();
    assert.equal(t.add(1, 2, 3, 7), true);
    assert.deepEqual(ids(t, 1, 2, 3), [7]);
    assert.equal(t.countKey(1, 2, 3), 1);
    assert.equal(t.size, 1);
    assert.equal(t.remove(1, 2, 3, 7), true);
    assert.deepEqual(ids(t, 1, 2, 3), []);
    assert.equal(t.size, 0);
    assert.equal(t.remove(1, 2, 3, 7), false);
  });

  test('one key holds several ids; an exact (key, id) pair is held once', () => {
    const t = new DigestTable();
    assert.equal(t.add(9, 9, 9, 1), true);
    assert.equal(t.add(9, 9, 9, 2), true);
    assert.equal(t.add(9, 9, 9, 1), false);
    assert.deepEqual(ids(t, 9, 9, 9), [1, 2]);
    assert.equal(t.size, 2);
    t.remove(9, 9, 9, 1);
    assert.deepEqual(ids(t, 9, 9, 9), [2]);
  });

  test('keys that differ in any one word are different keys', () => {
    const t = new DigestTable();
    t.add(1, 2, 3, 1);
    for (const [a, b, c] of [
      [0, 2, 3],
      [1, 3, 3],
      [1, 2, 4],
      [0xffffffff, 2, 3],
    ] as const) {
      assert.equal(t.countKey(a, b, c), 0);
    }
  });

  test('negative (int32) and unsigned spellings of a word are the same key', () => {
    const t = new DigestTable();
    t.add(-1, -2, -3, 5);
    assert.deepEqual(ids(t, 0xffffffff, 0xfffffffe, 0xfffffffd), [5]);
  });

  test('ids must be 1 to 2^32 - 1', () => {
    const t = new DigestTable();
    for (const bad of [0, -1, 1.5, 2 ** 32, Number.NaN]) {
      assert.throws(() => t.add(1, 1, 1, bad), RangeError);
    }
    assert.equal(t.add(1, 1, 1, 2 ** 32 - 1), true);
  });

  test('grows by half past 75 % full and keeps every entry', () => {
    const t = new DigestTable();
    assert.equal(t.capacity, 16);
    let bytesPerEntryMax = 0;
    for (let i = 1; i <= 1000; i++) {
      t.add(i * 7, Math.imul(i, 0x9e3779b1), i, i);
      assert.ok(t.size <= t.capacity * 0.75);
      if (i >= 100) bytesPerEntryMax = Math.max(bytesPerEntryMax, t.byteLength / t.size);
    }
    assert.equal(t.size, 1000);
    assert.ok(bytesPerEntryMax <= 32.1, `at most ${bytesPerEntryMax} bytes per entry`);
    assert.equal(t.byteLength, t.capacity * 16);
    for (let i = 1; i <= 1000; i++) assert.deepEqual(ids(t, i * 7, Math.imul(i, 0x9e3779b1), i), [i]);
  });

  test('a table sized for n entries does not grow while filling', () => {
    const t = new DigestTable(10_000);
    const capacity = t.capacity;
    for (let i = 1; i <= 10_000; i++) t.add(i, Math.imul(i, 0x9e3779b1), 0, i);
    assert.equal(t.capacity, capacity);
  });

  test('matches a Map model under random adds and removes, with crowded home slots', () => {
    // Home words from a small set make long shared runs, the case backward-shift deletion must get
    // right; the group at the very top of the range makes runs wrap round the end of the array.
    const random = rng(42);
    const t = new DigestTable();
    const model = new Map<string, Set<number>>();
    const keyOf = () => {
      const group = Math.floor(random() * 17);
      const b = (group === 16 ? 0xfffffff0 : group * 0x10000000) + Math.floor(random() * 3);
      return [Math.floor(random() * 4), b, 0] as const;
    };
    for (let step = 0; step < 20_000; step++) {
      const [a, b, c] = keyOf();
      const id = 1 + Math.floor(random() * 50);
      const name = `${a}/${b}/${c}`;
      const set = model.get(name) ?? new Set<number>();
      if (random() < 0.6) {
        assert.equal(t.add(a, b, c, id), !set.has(id));
        set.add(id);
        model.set(name, set);
      } else {
        assert.equal(t.remove(a, b, c, id), set.has(id));
        set.delete(id);
      }
      if (step % 997 === 0) {
        let total = 0;
        for (const [key, expected] of model) {
          const [ka, kb, kc] = key.split('/').map(Number) as [number, number, number];
          assert.deepEqual(
            ids(t, ka, kb, kc),
            [...expected].sort((x, y) => x - y),
            `step ${step} key ${key}`,
          );
          total += expected.size;
        }
        assert.equal(t.size, total);
      }
    }
  });

  test('countMany answers like countKey, at any offset', () => {
    const t = new DigestTable();
    const keys = new Uint32Array(300 * 3);
    for (let i = 0; i < 300; i++) {
      keys.set([i, Math.imul(i + 1, 0x85ebca6b), i * 3], i * 3);
      if (i % 3 === 0) t.add(i, Math.imul(i + 1, 0x85ebca6b), i * 3, 1);
      if (i % 6 === 0) t.add(i, Math.imul(i + 1, 0x85ebca6b), i * 3, 2);
    }
    const out = new Uint32Array(310);
    t.countMany(keys, 300, out, 10);
    for (let i = 0; i < 300; i++)
      assert.equal(out[10 + i], i % 6 === 0 ? 2 : i % 3 === 0 ? 1 : 0, `key ${i}`);
  });

  test('clear empties the table', () => {
    const t = new DigestTable();
    t.add(1, 2, 3, 4);
    t.clear();
    assert.equal(t.size, 0);
    assert.equal(t.countKey(1, 2, 3), 0);
  });
});
