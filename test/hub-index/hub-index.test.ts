import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { type IndicatorType, normalizeIndicator } from '../../src/domain/indicators/index.ts';
import {
  digestsEqual,
  HubIndex,
  type IndexEntry,
  parsePrivacyDigest,
  privacyDigest,
} from '../../src/hub-index/index.ts';

const SEED = new Uint8Array(16).fill(3);

describe('HubIndex', () => {
  test('finds the rows of a normalised value, and nothing for others', () => {
    const index = new HubIndex({ seed: SEED });
    index.add('iban', 'GB82WEST12345698765432', 1);
    index.add('iban', 'GB82WEST12345698765432', 2);
    index.add('phone', '+84912345678', 3);
    assert.deepEqual(index.lookup('iban', 'GB82WEST12345698765432').sort(), [1, 2]);
    assert.deepEqual(index.lookup('phone', '+84912345678'), [3]);
    assert.deepEqual(index.lookup('phone', '+84912345679'), []);
    assert.equal(index.count('iban', 'GB82WEST12345698765432'), 2);
    assert.equal(index.size, 3);
  });

  test('the same text under two types is two different keys', () => {
    const index = new HubIndex({ seed: SEED });
    index.add('md5', 'd41d8cd98f00b204e9800998ecf8427e', 1);
    assert.deepEqual(index.lookup('md5', 'd41d8cd98f00b204e9800998ecf8427e'), [1]);
    assert.deepEqual(index.lookup('bank_account', 'd41d8cd98f00b204e9800998ecf8427e'), []);
  });

  test('works on normalised values: two spellings of one IBAN meet', () => {
    const index = new HubIndex();
    const norm = (type: IndicatorType, raw: string) => {
      const r = normalizeIndicator(type, raw);
      assert.ok(r.ok);
      return r.value;
    };
    index.add('iban', norm('iban', 'GB82 WEST 1234 5698 7654 32'), 10);
    assert.deepEqual(index.lookup('iban', norm('iban', 'gb82west12345698765432')), [10]);
  });

  test('remove takes out one row (revocation) and is false when absent', () => {
    const index = new HubIndex({ seed: SEED });
    index.add('domain', 'evil.example', 1);
    index.add('domain', 'evil.example', 2);
    assert.equal(index.add('domain', 'evil.example', 2), false);
    assert.equal(index.remove('domain', 'evil.example', 1), true);
    assert.equal(index.remove('domain', 'evil.example', 1), false);
    assert.deepEqual(index.lookup('domain', 'evil.example'), [2]);
    assert.equal(index.size, 1);
  });

  test('unknown types: lookups answer nothing, changes throw', () => {
    const index = new HubIndex();
    assert.deepEqual(index.lookup('passport' as IndicatorType, 'X'), []);
    assert.equal(index.count('passport' as IndicatorType, 'X'), 0);
    assert.throws(() => index.add('passport' as IndicatorType, 'X', 1), /unknown indicator type/);
    assert.throws(() => index.add('md5', 42 as never, 1), /must be strings/);
  });

  test('build and buildAsync load the same entries', async () => {
    const entries: IndexEntry[] = Array.from({ length: 5000 }, (_, i) => ({
      type: i % 2 ? 'phone' : 'email',
      value: i % 2 ? `+8491${String(i).padStart(7, '0')}` : `user${i}@example.com`,
      id: i + 1,
    }));
    const built = HubIndex.build(entries, { expectedSize: entries.length, seed: SEED });
    async function* stream() {
      yield* entries;
    }
    const streamed = await HubIndex.buildAsync(stream(), { seed: SEED });
    for (const index of [built, streamed]) {
      assert.equal(index.size, 5000);
      for (const e of entries) assert.deepEqual(index.lookup(e.type, e.value), [e.id]);
    }
    // Sized up front: 55 % full, no growth on the way.
    assert.equal(built.stats().capacity, Math.ceil(5000 / 0.55));
  });

  test('countMany agrees with count for one type and for mixed types, across blocks', () => {
    const index = new HubIndex({ seed: SEED });
    const values: string[] = [];
    const types: IndicatorType[] = [];
    for (let i = 0; i < 1000; i++) {
      const value = `0x${i.toString(16).padStart(40, '0')}`;
      values.push(value);
      types.push(i % 5 === 0 ? ('nope' as IndicatorType) : 'eth_wallet');
      if (i % 2 === 0) index.add('eth_wallet', value, i + 1);
      if (i % 4 === 0) index.add('eth_wallet', value, 100_000 + i);
    }
    const one = new Uint32Array(1000);
    index.countMany('eth_wallet', values, one);
    const mixed = new Uint32Array(1000);
    index.countMany(types, values, mixed);
    for (let i = 0; i < 1000; i++) {
      assert.equal(one[i], index.count('eth_wallet', values[i]!), `one type, value ${i}`);
      assert.equal(mixed[i], i % 5 === 0 ? 0 : one[i], `mixed, value ${i}`);
    }
    assert.throws(() => index.countMany('md5', values, new Uint32Array(10)), RangeError);
    assert.throws(() => index.countMany(['md5'], values, one), RangeError);
  });

  test('countMany keeps each value under its own type when types change in runs and one by one', () => {
    const index = new HubIndex({ seed: SEED });
    // The same text under two types is two keys: a tag kept from the previous value would mix them.
    const kinds: IndicatorType[] = ['md5', 'sha1', 'md5', 'md5', 'sha1', 'sha1', 'sha1', 'md5'];
    const values: string[] = [];
    const types: unknown[] = [];
    for (let i = 0; i < 700; i++) {
      const value = i.toString(16).padStart(32, '0');
      const type =
        i % 97 === 0 ? 'nope' : i % 89 === 0 ? undefined : kinds[Math.floor(i / 3) % kinds.length]!;
      values.push(value);
      types.push(type);
      if (i % 2 === 0) index.add('md5', value, i + 1);
      else index.add('sha1', value, i + 1);
    }
    const got = new Uint32Array(700);
    index.countMany(types as IndicatorType[], values, got);
    for (let i = 0; i < 700; i++) {
      const type = types[i];
      const want =
        typeof type === 'string' && type !== 'nope' ? index.count(type as IndicatorType, values[i]!) : 0;
      assert.equal(got[i], want, `value ${i} as ${String(type)}`);
    }
    assert.ok(got.some((c) => c > 0) && got.some((c, i) => c === 0 && types[i] === 'md5'));
  });

  test('stats report entries and bytes; 16 bytes a slot, at most 32 bytes an entry', () => {
    const index = new HubIndex({ expectedSize: 1000 });
    for (let i = 1; i <= 1000; i++) index.add('sha256', i.toString(16).padStart(64, '0'), i);
    const stats = index.stats();
    assert.equal(stats.entries, 1000);
    assert.equal(stats.bytes, stats.capacity * 16);
    assert.ok(stats.bytes / stats.entries <= 32, `${stats.bytes / stats.entries} bytes per entry`);
  });
});

describe('HubIndex privacy mode', () => {
  const asean = randomBytes(32);
  const national = randomBytes(32);

  test('a member finds a value by its group digest, without sending the value', () => {
    const index = new HubIndex();
    index.addDigest('asean', 'iban', privacyDigest(asean, 'GB82WEST12345698765432'), 5);
    const asked = privacyDigest(asean, 'GB82WEST12345698765432');
    assert.deepEqual(index.lookupDigest('asean', 'iban', asked), [5]);
    // Other type, other group, other key, other value: no match.
    assert.deepEqual(index.lookupDigest('asean', 'bank_account', asked), []);
    assert.deepEqual(index.lookupDigest('national', 'iban', asked), []);
    assert.deepEqual(
      index.lookupDigest('asean', 'iban', privacyDigest(national, 'GB82WEST12345698765432')),
      [],
    );
    assert.deepEqual(index.lookupDigest('asean', 'iban', privacyDigest(asean, 'DE89370400440532013000')), []);
  });

  test('digests are per group: one value in two groups has two digests', () => {
    const index = new HubIndex();
    index.addDigest('asean', 'phone', privacyDigest(asean, '+84912345678'), 1);
    index.addDigest('national', 'phone', privacyDigest(national, '+84912345678'), 2);
    assert.deepEqual(index.lookupDigest('asean', 'phone', privacyDigest(asean, '+84912345678')), [1]);
    assert.deepEqual(index.lookupDigest('national', 'phone', privacyDigest(national, '+84912345678')), [2]);
    assert.deepEqual(
      index.stats().groups.map((g) => [g.group, g.entries]),
      [
        ['asean', 1],
        ['national', 1],
      ],
    );
  });

  test('removeDigest revokes; an emptied group disappears; dropGroup forgets a group', () => {
    const index = new HubIndex();
    const d = privacyDigest(asean, 'evil.example');
    index.addDigest('asean', 'domain', d, 1);
    index.addDigest('asean', 'domain', d, 2);
    assert.equal(index.removeDigest('asean', 'domain', d, 1), true);
    assert.deepEqual(index.lookupDigest('asean', 'domain', d), [2]);
    assert.equal(index.removeDigest('asean', 'domain', d, 2), true);
    assert.equal(index.stats().groups.length, 0);
    assert.equal(index.removeDigest('asean', 'domain', d, 2), false);
    index.addDigest('asean', 'domain', d, 3);
    assert.equal(index.dropGroup('asean'), true);
    assert.deepEqual(index.lookupDigest('asean', 'domain', d), []);
  });

  test('malformed digests are refused on add and answer nothing on lookup', () => {
    const index = new HubIndex();
    assert.throws(() => index.addDigest('asean', 'iban', new Uint8Array(16), 1), /32 bytes/);
    assert.throws(() => index.addDigest('asean', 'nope' as IndicatorType, new Uint8Array(32), 1), /unknown/);
    index.addDigest('asean', 'iban', new Uint8Array(32), 1);
    assert.deepEqual(index.lookupDigest('asean', 'iban', new Uint8Array(31)), []);
    assert.deepEqual(index.lookupDigest('asean', 'iban', 'ab' as never), []);
  });

  test('privacyDigest is HMAC-SHA-256 of the value (RFC 4231 test case 2)', () => {
    const digest = privacyDigest(Buffer.from('Jefe'), 'what do ya want for nothing?');
    assert.equal(
      Buffer.from(digest).toString('hex'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  test('parsePrivacyDigest reads 64 hex digits only; digestsEqual compares in constant time', () => {
    const d = privacyDigest(asean, 'x');
    const hex = Buffer.from(d).toString('hex');
    assert.ok(digestsEqual(parsePrivacyDigest(hex)!, d));
    assert.ok(digestsEqual(parsePrivacyDigest(hex.toUpperCase())!, d));
    for (const bad of ['', hex.slice(2), `${hex}00`, `${hex.slice(2)}zz`, 42 as never]) {
      assert.equal(parsePrivacyDigest(bad), null);
    }
    assert.equal(digestsEqual(d, d.subarray(0, 31)), false);
    assert.equal(digestsEqual(d, privacyDigest(asean, 'y')), false);
  });
});
