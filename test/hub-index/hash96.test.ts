import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hash96, seedFromBytes } from '../../src/hub-index/index.ts';

const SEED = seedFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i * 17));
const h = (value: string, tag = 1, seed = SEED) => {
  const out = new Uint32Array(3);
  hash96(seed, tag, value, out);
  return Array.from(out).join(',');
};

describe('hash96', () => {
  test('is deterministic for one seed', () => {
    assert.equal(h('+84912345678'), h('+84912345678'));
  });

  test('depends on the seed and on the type tag', () => {
    const other = seedFromBytes(new Uint8Array(16).fill(1));
    assert.notEqual(h('+84912345678'), h('+84912345678', 1, other));
    assert.notEqual(h('abc', 1), h('abc', 2));
  });

  test('every length from 0 to 40 (whole blocks and every tail) gives distinct keys', () => {
    const seen = new Set<string>();
    for (let n = 0; n <= 40; n++) seen.add(h('a'.repeat(n)));
    for (let n = 0; n <= 40; n++) seen.add(h('\u0000'.repeat(n)));
    // The empty string is in both lists once.
    assert.equal(seen.size, 81);
  });

  test('values beyond Latin-1 hash by the wide packing, at every length, apart from their look-alikes', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 40; n++) {
      seen.add(h('€'.repeat(n)));
      seen.add(h(`${'a'.repeat(n - 1)}ā`));
      // U+0101 must not meet the two Latin-1 characters U+0001 U+0001 a byte packing would give.
      seen.add(h(`${'a'.repeat(n - 1)}\u0001\u0001`));
    }
    assert.equal(seen.size, 120);
    assert.equal(h('用户@xn--fsqu00a.xn--0zwm56d'), h('用户@xn--fsqu00a.xn--0zwm56d'));
  });

  test('changing any one character, or its high byte, changes the key', () => {
    const base = 'https://example.com/login?x=1';
    const key = h(base);
    for (let i = 0; i < base.length; i++) {
      const code = base.charCodeAt(i);
      for (const swapped of [code ^ 1, code ^ 0x100]) {
        const changed = base.slice(0, i) + String.fromCharCode(swapped) + base.slice(i + 1);
        assert.notEqual(h(changed), key, `position ${i}`);
      }
    }
  });

  test('no collision among 200,000 similar values, and home-slot words spread evenly', () => {
    const seen = new Set<string>();
    const buckets = new Uint32Array(256);
    const out = new Uint32Array(3);
    for (let i = 0; i < 200_000; i++) {
      const value = `+8491${String(i).padStart(7, '0')}`;
      hash96(SEED, 1, value, out);
      seen.add(`${out[0]},${out[1]},${out[2]}`);
      buckets[out[1]! & 255]!++;
    }
    assert.equal(seen.size, 200_000);
    // 781 expected per bucket; a sound hash stays well within ±20 %.
    for (const count of buckets) assert.ok(count > 625 && count < 940, `bucket count ${count}`);
  });

  test('the seed needs 16 bytes', () => {
    assert.throws(() => seedFromBytes(new Uint8Array(8)), /16 bytes/);
  });
});
