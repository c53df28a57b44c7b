// On PostgreSQL audit verify reads batches as binary COPY and rebuilds the leaf bytes from it
// (check-binary-batch.ts). These tests hold that reader to the exact path: the time formatter against
// toISOString over its whole range, batches encoded here in the COPY format with awkward strings, times
// and malformed framing, and (with DATABASE_URL) the real COPY of a live log, tampering included.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { auditLeafHash, nextChainHash } from '../../src/audit/audit-entry.ts';
import { appendAudit } from '../../src/audit/audit-log.ts';
import { checkBinarySegment } from '../../src/audit/check-binary-batch.ts';
import type { Segment } from '../../src/audit/check-fast-batch.ts';
import { pushLeafHex } from '../../src/audit/hex-merkle-stack.ts';
import { pgMicrosToEpochMs, writeIsoMs } from '../../src/audit/iso-time.ts';
import { verifyAuditLog } from '../../src/audit/verify-audit.ts';
import { readCopyBatch } from '../../src/audit/verify-fast-batch.ts';
import { cryptoHashing, nativeAuditHash } from '../../src/crypto/native-audit-hash.ts';
import { rowsOf } from '../../src/store/database.ts';
import { emptyAuditLog } from '../helpers/audit-forgery.ts';
import { bareTestNode, startTestNode } from '../helpers/test-node.ts';

const PG_EPOCH_US = 946_684_800_000_000n;
/** Date.UTC for any year (Date.UTC itself reads years 0..99 as 1900..1999). */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, 0, 1, h, m, s, ms));
  date.setUTCFullYear(year, month, day);
  return date.getTime();
}
const MIN_MS = utc(1, 0, 1);
const MAX_MS = utc(9999, 11, 31, 23, 59, 59, 999);

function iso(ms: number): string | null {
  const out = Buffer.alloc(32);
  const end = writeIsoMs(ms, out, 0);
  return end < 0 ? null : out.toString('latin1', 0, end);
}

/** The int64's halves as the COPY carries them, and the millisecond value rounded down. */
function halves(us: bigint): [number, number] {
  const u = BigInt.asUintN(64, us);
  return [Number(BigInt.asIntN(32, u >> 32n)), Number(u & 0xffff_ffffn)];
}

describe('the time formatter', () => {
  test('writes toISOString for every millisecond value in years 1..9999, bounds included', () => {
    const samples = [MIN_MS, MIN_MS + 1, MAX_MS, MAX_MS - 1, 0, -1, 951_782_400_000, utc(2000, 1, 29, 12)];
    // Year ends and leap days across the range.
    for (const year of [1, 4, 99, 100, 400, 1582, 1899, 1900, 1969, 1970, 2000, 2024, 2100, 9998, 9999]) {
      samples.push(utc(year, 0, 1) - 1, utc(year, 0, 1), utc(year, 1, 28, 23, 59, 59, 999));
      samples.push(utc(year, 2, 1) - 1, utc(year, 11, 31, 23, 59, 59, 999));
    }
    for (let i = 0; i < 200_000; i++)
      samples.push(MIN_MS + Math.floor(Math.random() * (MAX_MS - MIN_MS + 1)));
    for (const ms of samples) {
      const date = new Date(ms);
      if (date.getUTCFullYear() < 1) continue; // utc(1, 0, 1) - 1
      assert.equal(iso(ms), date.toISOString(), String(ms));
    }
  });

  test('writes toISOString for times in order, within a minute and across minutes, days and years', () => {
    for (const startMs of [
      utc(2026, 11, 31, 23, 58),
      utc(1999, 11, 31, 23, 59, 59),
      MIN_MS,
      MAX_MS - 200_000,
    ]) {
      let ms = startMs;
      for (let i = 0; i < 20_000 && ms <= MAX_MS; i++) {
        assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
        ms += Math.floor(Math.random() * (i % 100 === 0 ? 90_000 : 30));
      }
    }
    // An out-of-range time between two of the same minute does not disturb the second.
    const t = utc(2026, 10, 25, 1, 2, 3, 4);
    assert.equal(iso(t), new Date(t).toISOString());
    assert.equal(iso(MAX_MS + 1), null);
    assert.equal(iso(t + 5), new Date(t + 5).toISOString());
  });

  test('refuses years outside 1..9999, where toISOString writes another form', () => {
    for (const ms of [MIN_MS - 1, utc(0, 5, 1), MAX_MS + 1, 8.64e15, -8.64e15]) assert.equal(iso(ms), null);
  });

  test('converts PostgreSQL microseconds exactly, rounding down; beyond 2^52 ms, to a refused year', () => {
    const cases: bigint[] = [0n, 1n, -1n, 999n, 1000n, -999n, -1000n, -1001n, 2n ** 63n - 1n, -(2n ** 63n)];
    for (let i = 0; i < 100_000; i++) {
      const hi = BigInt(Math.floor(Math.random() * 2 ** 32)) - 2n ** 31n;
      cases.push((hi << 32n) | BigInt(Math.floor(Math.random() * 2 ** 32)));
    }
    for (const us of cases) {
      const exact = (us - (((us % 1000n) + 1000n) % 1000n)) / 1000n + PG_EPOCH_US / 1000n;
      const ms = pgMicrosToEpochMs(...halves(us));
      if (exact < 2n ** 52n && exact > -(2n ** 52n)) assert.equal(ms, Number(exact), String(us));
      else assert.equal(iso(ms), null, String(us));
    }
  });
});

type Entry = {
  seq: number;
  us: bigint;
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  payloadHash: string;
  leafHash?: string;
  chainHash?: string;
};

/** Fields of one COPY tuple: null is SQL NULL. */
type Field = Buffer | null;

function int64(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(value);
  return b;
}

/** Bytes of one tuple: its field count, then each field after its length. */
function tupleBytes(fields: Field[]): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(2);
  count.writeInt16BE(fields.length);
  parts.push(count);
  for (const field of fields) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(field === null ? -1 : field.length);
    parts.push(length);
    if (field) parts.push(field);
  }
  return Buffer.concat(parts);
}

/** A CopyData message: 'd', its int32 length, the payload. */
function message(payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = 0x64;
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

const FILE_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);

/**
 * A binary COPY as Database.copyOut returns it, in CopyData messages: by default as PostgreSQL sends
 * them (one tuple each, the file header with the first, the trailer alone); 'apart' sends the header
 * alone too, 'packed' all in one message.
 */
function copyOf(tuples: Field[][], framing: 'rows' | 'apart' | 'packed' = 'rows'): Buffer {
  const payloads = tuples.map(tupleBytes);
  if (framing === 'packed') return message(Buffer.concat([FILE_HEADER, ...payloads, TRAILER]));
  if (framing === 'apart' || payloads.length === 0) payloads.unshift(FILE_HEADER);
  else payloads[0] = Buffer.concat([FILE_HEADER, payloads[0]!]);
  return Buffer.concat([...payloads, TRAILER].map(message));
}

/** Entries with their leaf and chain hashes as appendAudit writes them (the time rounded down to ms). */
function sealed(entries: Entry[]): Entry[] {
  let chain = '';
  return entries.map((e) => {
    const ms = Number((e.us - (((e.us % 1000n) + 1000n) % 1000n)) / 1000n + PG_EPOCH_US / 1000n);
    const leafHash = auditLeafHash({ ...e, at: new Date(ms) });
    chain = nextChainHash(chain, leafHash);
    return { ...e, leafHash, chainHash: chain };
  });
}

function tupleOf(e: Entry): Field[] {
  const text = (s: string) => Buffer.from(s, 'utf8');
  return [
    int64(BigInt(e.seq)),
    int64(e.us),
    text(e.actor),
    text(e.action),
    text(e.objectType),
    text(e.objectId),
    text(e.payloadHash),
    text(e.leafHash!),
    text(e.chainHash!),
  ];
}

const AWKWARD = [
  'plain',
  'quote " and backslash \\',
  'tab\tnewline\ncarriage\r',
  'control \u0001\u001f and del \u007f',
  'accents é ü and CJK 漢字',
  'astral 😀 and separators \u2028\u2029',
  '","seq":1}',
  '',
];

// Microseconds after 2026-11-25 with 0 to 6 fraction digits, and times near the ends of the range.
const US_2026 = BigInt(Date.UTC(2026, 10, 25)) * 1000n - PG_EPOCH_US;
const TIMES = [
  US_2026,
  US_2026 + 100_000n,
  US_2026 + 120_000n,
  US_2026 + 123_000n,
  US_2026 + 123_400n,
  US_2026 + 123_450n,
  US_2026 + 123_456n,
  US_2026 + 999_999n,
  -1n,
  -PG_EPOCH_US - 1n,
  BigInt(MIN_MS) * 1000n - PG_EPOCH_US,
  BigInt(MAX_MS) * 1000n - PG_EPOCH_US + 999n,
];

function entries(n: number, from = 1): Entry[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: from + i,
    us: TIMES[i % TIMES.length]!,
    actor: AWKWARD[i % AWKWARD.length]!,
    action: 'test.change',
    objectType: AWKWARD[(i + 3) % AWKWARD.length]!,
    objectId: `id ${AWKWARD[(i + 5) % AWKWARD.length]}`,
    payloadHash: 'ab'.repeat(32),
  }));
}

/**
 * checkBinarySegment with node:crypto and, where the addon is built, natively: the two must give the
 * same answer for every batch (the native checker takes a batch only when it is exactly as expected,
 * and leaves any other to the TypeScript one). Returns that answer.
 */
function check(batch: Buffer, from: number, headSizes: number[]): Segment | null {
  const answer = checkBinarySegment(batch, from, headSizes, 1024, cryptoHashing);
  if (nativeAuditHash) {
    assert.deepEqual(checkBinarySegment(batch, from, headSizes, 1024, nativeAuditHash), answer);
  }
  return answer;
}

describe('binary COPY batches', () => {
  const good = sealed(entries(40));

  test('awkward strings and times of every form give the leaves, links and stack of the exact path', () => {
    const segment = check(copyOf(good.map(tupleOf)), 1, [5, 40]);
    assert.ok(segment);
    assert.equal(segment.count, 40);
    assert.equal(segment.firstLeaf, good[0]!.leafHash);
    assert.equal(segment.firstChain, good[0]!.chainHash);
    assert.equal(segment.lastChain, good[39]!.chainHash);
    const stack: string[] = [];
    const atHeads: string[][] = [];
    for (const [i, e] of good.entries()) {
      pushLeafHex(stack, i, e.leafHash!);
      if (i + 1 === 5 || i + 1 === 40) atHeads.push(stack.slice());
    }
    assert.deepEqual(segment.stack, stack);
    assert.deepEqual(segment.headStacks, atHeads);
    for (const framing of ['apart', 'packed'] as const) {
      assert.deepEqual(check(copyOf(good.map(tupleOf), framing), 1, [5, 40]), segment, framing);
    }
    // A batch starting further on, with a sequence number that gains a digit inside it.
    const later = sealed(entries(12, 95));
    assert.equal(check(copyOf(later.map(tupleOf)), 95, [])?.count, 12);
    assert.equal(check(copyOf(later.map(tupleOf)), 94, []), null);
  });

  test('an entry rewritten without its hashes, or with a broken link, is refused', () => {
    for (const i of [0, 7, 39]) {
      const altered = good.map((e, j) => (j === i ? { ...e, actor: `${e.actor}x` } : e));
      assert.equal(check(copyOf(altered.map(tupleOf)), 1, []), null, `actor of ${i + 1}`);
      const moved = good.map((e, j) => (j === i ? { ...e, us: e.us + 1000n } : e));
      assert.equal(check(copyOf(moved.map(tupleOf)), 1, []), null, `time of ${i + 1}`);
    }
    // Entry 10's leaf recomputed by a forger: its own leaf matches, the chain does not.
    const forged = good.map((e) => ({ ...e }));
    forged[9] = sealed([{ ...forged[9]!, actor: 'forger' }])[0]!;
    forged[9]!.chainHash = good[9]!.chainHash;
    assert.equal(check(copyOf(forged.map(tupleOf)), 1, []), null);
    // A missing entry.
    assert.equal(check(copyOf(good.filter((e) => e.seq !== 20).map(tupleOf)), 1, []), null);
  });

  test('a NULL, a field more or less, a wrong length, a bad header or trailer, a time out of range are refused', () => {
    const tuples = good.map(tupleOf);
    const withTuple = (i: number, fields: Field[]) => copyOf(tuples.map((t, j) => (j === i ? fields : t)));
    for (let f = 0; f < 9; f++) {
      assert.equal(
        check(
          withTuple(
            3,
            tuples[3]!.map((x, k) => (k === f ? null : x)),
          ),
          1,
          [],
        ),
        null,
      );
    }
    assert.equal(check(withTuple(3, [...tuples[3]!, Buffer.from('x')]), 1, []), null);
    assert.equal(check(withTuple(3, tuples[3]!.slice(0, 8)), 1, []), null);
    // The stored hashes must be exactly 64 bytes.
    const longer = tuples[3]!.map((x, k) => (k === 7 ? Buffer.concat([x!, Buffer.from('0')]) : x));
    assert.equal(check(withTuple(3, longer), 1, []), null);
    const seq4 = tuples[3]!.map((x, k) => (k === 0 ? Buffer.from([0, 0, 0, 4]) : x));
    assert.equal(check(withTuple(3, seq4), 1, []), null);
    const whole = copyOf(tuples);
    assert.equal(check(whole.subarray(0, whole.length - 7), 1, []), null);
    assert.equal(check(Buffer.concat([whole, Buffer.from([0])]), 1, []), null);
    assert.equal(check(Buffer.concat([whole, message(TRAILER)]), 1, []), null);
    const flagged = Buffer.from(whole);
    flagged[5 + 13] = 1; // the OIDs flag
    assert.equal(check(flagged, 1, []), null);
    assert.equal(check(copyOf([]), 1, []), null);
    // A tuple split over two messages, and a message whose length runs past the batch.
    const second = tupleBytes(tuples[1]!);
    const split = Buffer.concat([
      message(Buffer.concat([FILE_HEADER, tupleBytes(tuples[0]!)])),
      message(second.subarray(0, 40)),
      message(second.subarray(40)),
      message(TRAILER),
    ]);
    assert.equal(check(split, 1, []), null);
    const overlong = Buffer.from(copyOf(tuples.slice(0, 2)));
    overlong.writeInt32BE(overlong.readInt32BE(1) + 1, 1);
    assert.equal(check(overlong, 1, []), null);
    // Times toISOString cannot write in its usual form (with the hashes of a valid entry: the time is
    // refused before any hash is compared), and PostgreSQL's infinities.
    for (const us of [
      BigInt(MIN_MS - 1) * 1000n - PG_EPOCH_US,
      BigInt(MAX_MS + 1) * 1000n - PG_EPOCH_US,
      2n ** 63n - 1n,
      -(2n ** 63n),
    ]) {
      assert.equal(check(copyOf([tupleOf({ ...good[0]!, us })]), 1, []), null, String(us));
    }
  });
});

describe('the native checker (native/audit-hash.c)', () => {
  const native = nativeAuditHash;
  /** Entries whose fields JSON writes as they are, the only ones the native checker takes itself. */
  const plain = sealed(
    Array.from({ length: 30 }, (_, i) => ({
      seq: i + 1,
      us: US_2026 + BigInt(i) * 1_234_567n,
      actor: `0193f6c2-0000-7000-8000-${String(i).padStart(12, '0')}`,
      action: 'request.transition',
      objectType: 'request',
      objectId: `id ~ ${i} !#$%&'()*+,-./:;<=>?@[]^_\`{|}`,
      payloadHash: 'ab'.repeat(32),
    })),
  );
  const plainCopy = copyOf(plain.map(tupleOf));
  const run = (batch: Buffer, from = 1, capacity = 64) => {
    const leaves = Buffer.alloc(32 * capacity);
    const chains = Buffer.alloc(128);
    return { count: native!.copySegment(batch, from, leaves, chains), leaves, chains };
  };

  test('is built and loads here (npm install builds it; HANOI247_NATIVE_HASH=0 turns it off)', (t) => {
    if (process.env.HANOI247_NATIVE_HASH === '0') return t.skip('turned off');
    assert.ok(native, 'build/native/audit-hash.node did not load: run npm install (scripts/build-native.ts)');
  });

  test('takes a plain batch itself and gives the leaves, links and stacks of the TypeScript checker', (t) => {
    if (!native) return t.skip('not built');
    const { count, leaves, chains } = run(plainCopy);
    assert.equal(count, 30);
    for (const [i, e] of plain.entries())
      assert.equal(leaves.toString('hex', 32 * i, 32 * i + 32), e.leafHash);
    assert.equal(chains.toString('latin1', 0, 64), plain[0]!.chainHash);
    assert.equal(chains.toString('latin1', 64), plain[29]!.chainHash);
    assert.equal(check(plainCopy, 1, [1, 7, 16, 30])?.headStacks.length, 4);
    for (const framing of ['apart', 'packed'] as const)
      assert.equal(run(copyOf(plain.map(tupleOf), framing)).count, 30);
    // Sequence numbers that gain a digit inside the batch.
    const later = sealed(plain.slice(0, 12).map((e, i) => ({ ...e, seq: 95 + i })));
    assert.equal(run(copyOf(later.map(tupleOf)), 95).count, 12);
  });

  test('leaves every other batch to the TypeScript checker', (t) => {
    if (!native) return t.skip('not built');
    const tuples = plain.map(tupleOf);
    const refused = (batch: Buffer, from = 1, capacity = 64) =>
      assert.equal(run(batch, from, capacity).count, -2);
    refused(plainCopy, 2);
    refused(plainCopy, 1, 29); // more entries than room for their leaves
    refused(copyOf([]));
    refused(copyOf(tuples.filter((_, i) => i !== 12)));
    refused(copyOf([...tuples.slice(0, 5), tuples[6]!, tuples[5]!, ...tuples.slice(7)]));
    for (const i of [0, 13, 29]) {
      const actor = plain.map((e, j) => (j === i ? { ...e, actor: `${e.actor}x` } : e));
      refused(copyOf(actor.map(tupleOf)));
      const time = plain.map((e, j) => (j === i ? { ...e, us: e.us + 1000n } : e));
      refused(copyOf(time.map(tupleOf)));
      // The leaf recomputed by a forger: its own leaf matches, the link after it does not.
      const forged = plain.map((e) => ({ ...e }));
      forged[i] = { ...sealed([{ ...plain[i]!, actor: 'forger' }])[0]!, chainHash: plain[i]!.chainHash! };
      if (i > 0) refused(copyOf(forged.map(tupleOf)));
      // A byte JSON escapes, or one outside ASCII: refused here, decided by the TypeScript checker.
      for (const odd of ['"', '\\', '\u007f', '\u0001', 'é']) {
        const escaped = sealed(plain.map((e, j) => (j === i ? { ...e, objectId: `a${odd}b` } : e)));
        refused(copyOf(escaped.map(tupleOf)));
        assert.equal(check(copyOf(escaped.map(tupleOf)), 1, [])?.count, 30, JSON.stringify(odd));
      }
    }
    for (let f = 0; f < 9; f++)
      refused(copyOf(tuples.map((x, j) => (j === 3 ? x.map((v, k) => (k === f ? null : v)) : x))));
    refused(copyOf(tuples.map((x, j) => (j === 3 ? [...x, Buffer.from('x')] : x))));
    refused(copyOf(tuples.map((x, j) => (j === 3 ? x.slice(0, 8) : x))));
    refused(plainCopy.subarray(0, plainCopy.length - 1));
    refused(Buffer.concat([plainCopy, message(TRAILER)]));
    for (const us of [BigInt(MAX_MS + 1) * 1000n - PG_EPOCH_US, 2n ** 63n - 1n, -(2n ** 63n)]) {
      refused(copyOf([tupleOf({ ...plain[0]!, us })]));
    }
  });

  test('agrees with the TypeScript checker on thousands of damaged batches', (t) => {
    if (!native) return t.skip('not built');
    let seed = 2026;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    let taken = 0;
    for (let round = 0; round < 3000; round++) {
      const damaged = Buffer.from(plainCopy);
      for (let k = 0; k <= random(3); k++) damaged[random(damaged.length)] = random(256);
      const batch = round % 10 === 0 ? damaged.subarray(0, random(damaged.length)) : damaged;
      if (run(batch).count > 0 && !batch.equals(plainCopy)) taken++;
      check(batch, 1, [3, 30]);
    }
    // A changed byte may leave the entries as they were: microseconds inside the same millisecond (the
    // leaf holds the time to the millisecond, as toISOString writes it). Anything else is refused.
    assert.ok(taken < 30, `${taken} damaged batches were taken as they are`);
  });

  test('hashes every slice as node:crypto does, and refuses bad arguments', (t) => {
    if (!native) return t.skip('not built');
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    const ends = new Uint32Array([0, 0, 1, 64, 65, 119, 120, 183, 184, 1000, 5000, 5000]);
    const out = Buffer.alloc(32 * ends.length);
    native.sha256Each(data, ends, out);
    let start = 0;
    for (const [i, end] of ends.entries()) {
      assert.equal(
        out.toString('hex', 32 * i, 32 * i + 32),
        createHash('sha256').update(data.subarray(start, end)).digest('hex'),
      );
      start = end;
    }
    const cryptoOut = Buffer.alloc(out.length);
    cryptoHashing.sha256Each(data, ends, cryptoOut);
    assert.deepEqual(cryptoOut, out);
    for (const hashing of [native, cryptoHashing]) {
      assert.throws(() => hashing.sha256Each(data, new Uint32Array([10, 5]), out), RangeError);
      assert.throws(() => hashing.sha256Each(data, new Uint32Array([5001]), out), RangeError);
      assert.throws(() => hashing.sha256Each(data, ends, Buffer.alloc(32)), RangeError);
    }
    assert.throws(
      () => native.sha256Each(data, new Int32Array([1]) as unknown as Uint32Array, out),
      RangeError,
    );
    assert.throws(() => native.copySegment(plainCopy, 0, Buffer.alloc(64), Buffer.alloc(128)), RangeError);
    assert.throws(() => native.copySegment(plainCopy, 1, Buffer.alloc(64), Buffer.alloc(127)), RangeError);
  });
});

describe('the COPY of a live log (PostgreSQL)', () => {
  const node = bareTestNode();
  const { db, keys } = node;

  beforeEach(async () => {
    await emptyAuditLog(db());
    for (let i = 1; i <= 24; i++) {
      await db().transaction((tx) =>
        appendAudit(
          tx,
          {
            actor: AWKWARD[i % AWKWARD.length]!,
            action: 'test.change',
            objectType: 'thing',
            objectId: `id ${AWKWARD[(i + 1) % AWKWARD.length]}`,
            payload: { i },
          },
          new Date(Date.UTC(2026, 10, 25, 0, 0, i, (i * 37) % 1000)),
        ),
      );
    }
  });

  test('takes the binary path, with microseconds inside a millisecond, and agrees with the text path', async (t) => {
    const { copyOut } = node.ctx.database;
    if (!copyOut) return t.skip('PGlite has no COPY: the text path serves it');
    // Microseconds inside the entry's own millisecond: toISOString of the stored time does not change.
    await db().execute(sql`UPDATE audit_entries SET at = at + make_interval(secs => (seq % 7) * 0.000111)`);
    const batch = await readCopyBatch(copyOut, 1, 1000);
    assert.ok(batch);
    assert.equal(check(batch, 1, [])?.count, 24);
    await node.ctx.audit.signTreeHead();
    for (const batchSize of [4, 16_384]) {
      for (const [hashWorkers, nativeHash] of [
        [0, true],
        [2, true],
        [2, false],
      ] as const) {
        const binary = await verifyAuditLog(node.ctx.database, keys(), undefined, {
          batchSize,
          hashWorkers,
          nativeHash,
        });
        const text = await verifyAuditLog(node.ctx.database, keys(), undefined, {
          batchSize,
          hashWorkers,
          binaryCopy: false,
        });
        assert.equal(binary.ok, true, JSON.stringify(binary.firstProblem));
        assert.deepEqual(binary, text);
      }
    }
    assert.equal(await readCopyBatch(copyOut, 25, 1000), null);
  });

  test('tampering is named as the exact path names it', async (t) => {
    if (!node.ctx.database.copyOut) return t.skip('PGlite has no COPY');
    await db().execute(sql`UPDATE audit_entries SET object_id = object_id || E'\\\\' WHERE seq = 6`);
    await db().execute(sql`UPDATE audit_entries SET at = at + interval '1 millisecond' WHERE seq = 9`);
    for (const [hashWorkers, nativeHash] of [
      [0, true],
      [1, true],
      [1, false],
    ] as const) {
      const result = await verifyAuditLog(node.ctx.database, keys(), undefined, {
        batchSize: 4,
        hashWorkers,
        nativeHash,
      });
      assert.deepEqual(
        [result.firstProblem?.seq, result.firstProblem?.kind, result.entries],
        [6, 'ALTERED', 5],
      );
    }
    await db().execute(sql`DELETE FROM audit_entries WHERE seq BETWEEN 5 AND 6`);
    const gap = await verifyAuditLog(node.ctx.database, keys(), undefined, { batchSize: 4 });
    assert.deepEqual([gap.firstProblem?.seq, gap.firstProblem?.kind], [5, 'MISSING']);
  });
});

describe('copyOut (PostgreSQL)', () => {
  test('a COPY that fails halfway rejects with the server error, and the pool goes on', async (t) => {
    const node = await startTestNode({ seed: false });
    try {
      const { copyOut } = node.ctx.database;
      if (!copyOut) return t.skip('PGlite has no COPY');
      await assert.rejects(
        copyOut('COPY (SELECT 1 / (10 - g) FROM generate_series(1, 20000) AS g) TO STDOUT (FORMAT binary)'),
        /division by zero/,
      );
      await assert.rejects(copyOut('COPY no_such_table TO STDOUT'), /no_such_table/);
      const batch = await copyOut('COPY (SELECT 1::int4) TO STDOUT (FORMAT binary)');
      assert.equal(batch[0], 0x64);
      assert.equal(rowsOf(await node.ctx.database.db.execute(sql`SELECT 2 AS two`)).length, 1);
    } finally {
      await node.close();
    }
  });
});
