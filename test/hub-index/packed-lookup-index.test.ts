// The packed index must answer exactly like the Map-based LookupIndex of src/hub, and build a group's
// privacy-mode table once, on its first use, without losing changes made while it is built.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  createMapLookupIndex,
  type GroupSource,
  type IndexEntry,
  type LookupIndex,
} from '../../src/hub/lookup-index.ts';
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

const sorted = (rows: readonly number[]) => [...rows].sort((a, b) => a - b);

const GROUP_KEYS: Record<string, string> = { asean: 'k-asean-0123456789', vn: 'k-vn-0123456789abc' };
const digestOf = (group: string, value: string) =>
  new Uint8Array(createHmac('sha256', GROUP_KEYS[group]!).update(value).digest());
const hexOf = (group: string, value: string) => Buffer.from(digestOf(group, value)).toString('hex');

const entry = (rowNo: number, groupId: string, type: string, value: string): IndexEntry => ({
  rowNo,
  type,
  value,
  groupId,
});

/**
 * A group source over a list of rows standing in for the database, in pages of two. `gate`, when
 * given, holds each page until it resolves, so a test can change the index between pages.
 */
function sourceOf(group: string, rows: () => readonly IndexEntry[], gate?: () => Promise<void>) {
  let reads = 0;
  const source: GroupSource = {
    digest: (value) => digestOf(group, value),
    async *pages() {
      reads++;
      const all = rows().filter((r) => r.groupId === group);
      for (let at = 0; at < all.length; at += 2) {
        if (gate) await gate();
        yield all.slice(at, at + 2).map((r) => ({ rowNo: r.rowNo, type: r.type, value: r.value }));
      }
    },
  };
  return { source, reads: () => reads };
}

describe('createPackedLookupIndex', () => {
  test('add, lookup, keyed lookup and remove', async () => {
    const index = createPackedLookupIndex();
    const e1 = entry(1, 'asean', 'iban', 'GB82WEST12345698765432');
    const e2 = entry(2, 'asean', 'phone', '+84912345678');
    index.add(e1);
    index.add(e2);
    index.add(e1);
    assert.equal(index.size, 2);
    assert.deepEqual(index.lookup('iban', 'GB82WEST12345698765432'), [1]);
    // No privacy-mode table before the group's first privacy-mode check.
    assert.equal(index.privacyBytes, 0);
    assert.deepEqual(index.lookupKeyed('asean', 'phone', hexOf('asean', e2.value)), []);
    await index.prepareGroup('asean', sourceOf('asean', () => [e1, e2]).source);
    assert.ok(index.privacyBytes > 0);
    assert.deepEqual(index.lookupKeyed('asean', 'phone', hexOf('asean', e2.value).toUpperCase()), [2]);
    assert.deepEqual(index.lookupKeyed('vn', 'phone', hexOf('asean', e2.value)), []);
    assert.deepEqual(index.lookupKeyed('asean', 'iban', hexOf('asean', e2.value)), []);
    assert.deepEqual(index.lookupKeyed('asean', 'phone', 'not-hex'), []);
    assert.deepEqual(index.lookup('passport', 'X'), []);
    index.removeIndicator(e1);
    assert.deepEqual(index.lookup('iban', 'GB82WEST12345698765432'), []);
    assert.deepEqual(index.lookupKeyed('asean', 'iban', hexOf('asean', e1.value)), []);
    assert.equal(index.size, 1);
    index.removeIndicator(e1);
    assert.equal(index.size, 1);
  });

  test('refuses row numbers out of range and types it does not know', () => {
    const index = createPackedLookupIndex();
    assert.throws(() => index.add(entry(0, 'vn', 'md5', 'x')), /index ids/);
    assert.throws(() => index.add(entry(2 ** 32, 'vn', 'md5', 'x')), /index ids/);
    assert.throws(() => index.add(entry(1, 'vn', 'passport', 'x')), /unknown indicator type/);
  });

  test('first checks that arrive together share one build, and changes made meanwhile are kept', async () => {
    for (const index of [createPackedLookupIndex(), createMapLookupIndex()] as LookupIndex[]) {
      const db: IndexEntry[] = [];
      for (let i = 1; i <= 9; i++)
        db.push(entry(i, i % 3 === 0 ? 'vn' : 'asean', 'email', `u${i}@example.com`));
      // Row 9 is stored but not indexed (say its alert is revoked): the build must leave it out.
      for (const e of db) if (e.rowNo !== 9) index.add(e);
      let release: () => void = () => {};
      let opened = 0;
      const gate = () =>
        new Promise<void>((resolve) => {
          opened++;
          release = resolve;
        });
      const { source, reads } = sourceOf('vn', () => db, gate);
      const first = index.prepareGroup('vn', source);
      const second = index.prepareGroup('vn', source);
      // While the first page is held: one row is added, one removed, before the build reads them.
      while (opened < 1) await new Promise<void>((r) => setImmediate(r));
      const late = entry(12, 'vn', 'email', 'late@example.com');
      db.push(late);
      index.add(late);
      index.removeIndicator(db[5]!); // row 6, group vn
      for (let step = 0; step < 10; step++) {
        release();
        await new Promise<void>((r) => setImmediate(r));
      }
      release();
      await Promise.all([first, second]);
      assert.equal(reads(), 1, 'one build');
      const keyed = (value: string) => sorted(index.lookupKeyed('vn', 'email', hexOf('vn', value)));
      assert.deepEqual(keyed('u3@example.com'), [3]);
      assert.deepEqual(keyed('u6@example.com'), []);
      assert.deepEqual(keyed('u9@example.com'), []);
      assert.deepEqual(keyed('late@example.com'), [12]);
      assert.deepEqual(keyed('u1@example.com'), [], 'a row of another group');
      // Once built it follows adds and removes.
      index.add(entry(13, 'vn', 'email', 'later@example.com'));
      assert.deepEqual(keyed('later@example.com'), [13]);
      index.removeIndicator(entry(3, 'vn', 'email', 'u3@example.com'));
      assert.deepEqual(keyed('u3@example.com'), []);
      await index.prepareGroup('vn', source);
      assert.equal(reads(), 1, 'built once');
    }
  });

  test('a failed build is forgotten and the next check builds again', async () => {
    const index = createPackedLookupIndex();
    const e = entry(1, 'vn', 'domain', 'scam.example');
    index.add(e);
    let fail = true;
    const source: GroupSource = {
      digest: (value) => digestOf('vn', value),
      async *pages() {
        if (fail) throw new Error('database gone');
        yield [{ rowNo: 1, type: 'domain', value: 'scam.example' }];
      },
    };
    await assert.rejects(index.prepareGroup('vn', source), /database gone/);
    fail = false;
    await index.prepareGroup('vn', source);
    assert.deepEqual(index.lookupKeyed('vn', 'domain', hexOf('vn', 'scam.example')), [1]);
  });

  test('answers like the Map index over a random sequence of adds and removes', async () => {
    const random = rng(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const packed = createPackedLookupIndex();
    const plain = createMapLookupIndex();
    const values = Array.from({ length: 60 }, (_, i) => `user${i}@example.com`);
    const live: IndexEntry[] = [];
    let next = 1;
    for (let step = 0; step < 3000; step++) {
      if (step === 1000)
        for (const group of ['asean', 'vn']) {
          const { source } = sourceOf(group, () => live);
          await Promise.all([packed.prepareGroup(group, source), plain.prepareGroup(group, source)]);
        }
      if (live.length === 0 || random() < 0.6) {
        const e = entry(next++, pick(['asean', 'vn']), 'email', pick(values));
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
            const hash = hexOf(group, value);
            assert.deepEqual(
              sorted(packed.lookupKeyed(group, 'email', hash)),
              sorted(plain.lookupKeyed(group, 'email', hash)),
            );
          }
        }
      }
    }
    assert.ok(packed.bytes > 0);
    assert.ok(packed.privacyBytes > 0);
  });
});
