// The packed index must answer exactly like the Map-based LookupIndex of src/hub it replaces.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { keyedHash } from '../../src/crypto/hash.ts';
import { createMapLookupIndex, type IndexEntry, type IndexRef } from '../../src/hub/lookup-index.ts';
import { createPackedLookupIndex } from '../../src/hub-index/index.ts';

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

const sorted = (refs: readonly IndexRef[]) => [...refs].map((r) => `${r.alertId}/${r.indicatorId}`).sort();

const GROUP_KEYS: Record<string, string> = { asean: 'k-asean-0123456789', vn: 'k-vn-0123456789abc' };

function entry(
  alertId: string,
  indicatorId: string,
  groupId: string,
  type: string,
  value: string,
): IndexEntry {
  return { alertId, indicatorId, type, value, groupId, keyedHash: keyedHash(GROUP_KEYS[groupId]!, value) };
}

describe('createPackedLookupIndex', () => {
  test('add, lookup, keyed lookup and remove', () => {
    const index = createPackedLookupIndex();
    const a = randomUUID();
    const i1 = randomUUID();
    const i2 = randomUUID();
    const e1 = entry(a, i1, 'asean', 'iban', 'GB82WEST12345698765432');
    const e2 = entry(a, i2, 'asean', 'phone', '+84912345678');
    index.add(e1);
    index.add(e2);
    index.add(e1);
    assert.equal(index.size, 2);
    assert.deepEqual(index.lookup('iban', 'GB82WEST12345698765432'), [{ indicatorId: i1, alertId: a }]);
    assert.deepEqual(index.lookupKeyed('asean', 'phone', e2.keyedHash.toUpperCase()), [
      { indicatorId: i2, alertId: a },
    ]);
    assert.deepEqual(index.lookupKeyed('vn', 'phone', e2.keyedHash), []);
    assert.deepEqual(index.lookupKeyed('asean', 'iban', e2.keyedHash), []);
    assert.deepEqual(index.lookupKeyed('asean', 'phone', 'not-hex'), []);
    assert.deepEqual(index.lookup('passport', 'X'), []);
    index.removeIndicator(e1);
    assert.deepEqual(index.lookup('iban', 'GB82WEST12345698765432'), []);
    assert.equal(index.size, 1);
    index.removeIndicator(e1);
    assert.equal(index.size, 1);
  });

  test('refuses ids that are not UUIDs and types it does not know', () => {
    const index = createPackedLookupIndex();
    assert.throws(() => index.add(entry('alert-1', randomUUID(), 'vn', 'md5', 'x')), /not a UUID/);
    assert.throws(
      () => index.add(entry(randomUUID(), randomUUID(), 'vn', 'passport', 'x')),
      /unknown indicator type/,
    );
  });

  test('answers like the Map index over a random sequence of adds and removes', () => {
    const random = rng(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const packed = createPackedLookupIndex();
    const plain = createMapLookupIndex();
    const alerts = Array.from({ length: 20 }, () => randomUUID());
    const values = Array.from({ length: 60 }, (_, i) => `user${i}@example.com`);
    const live: IndexEntry[] = [];
    for (let step = 0; step < 3000; step++) {
      if (live.length === 0 || random() < 0.6) {
        const e = entry(pick(alerts), randomUUID(), pick(['asean', 'vn']), 'email', pick(values));
        packed.add(e);
        plain.add(e);
        live.push(e);
      } else {
        const at = Math.floor(random() * live.length);
        const e = live[at]!;
        live.splice(at, 1);
        packed.removeIndicator(e);
        plain.removeIndicator(e);
      }
      if (step % 100 === 0) {
        assert.equal(packed.size, plain.size);
        for (const value of values) {
          assert.deepEqual(sorted(packed.lookup('email', value)), sorted(plain.lookup('email', value)));
          for (const group of ['asean', 'vn']) {
            const hash = keyedHash(GROUP_KEYS[group]!, value);
            assert.deepEqual(
              sorted(packed.lookupKeyed(group, 'email', hash)),
              sorted(plain.lookupKeyed(group, 'email', hash)),
            );
          }
        }
      }
    }
    assert.ok(packed.bytes > 0);
  });
});
