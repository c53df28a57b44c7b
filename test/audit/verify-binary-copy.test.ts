// On PostgreSQL audit verify reads batches as binary COPY and rebuilds the leaf bytes from it
// (check-binary-batch.ts). These tests hold that reader to the exact path: the time formatter against
// toISOString over its whole range, batches encoded here in the COPY format with awkward strings, times
// and malformed framing, and (with DATABASE_URL) the real COPY of a live log, tampering included.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { auditLeafHash, nextChainHash } from '../../src/audit/audit-entry.ts';
import { appendAudit } from '../../src/audit/audit-log.ts';
import { checkBinarySegment } from '../../src/audit/check-binary-batch.ts';
import { pushLeafHex } from '../../src/audit/hex-merkle-stack.ts';
import { pgMicrosToEpochMs, writeIsoMs } from '../../src/audit/iso-time.ts';
import { verifyAuditLog } from '../../src/audit/verify-audit.ts';
import { readCopyBatch } from '../../src/audit/verify-fast-batch.ts';
import { rowsOf } from '../../src/store/database.ts';
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

describe('binary COPY batches', () => {
  const good = sealed(entries(40));

  test('awkward strings and times of every form give the leaves, links and stack of the exact path', () => {
    const segment = checkBinarySegment(copyOf(good.map(tupleOf)), 1, [5, 40]);
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
      assert.deepEqual(checkBinarySegment(copyOf(good.map(tupleOf), framing), 1, [5, 40]), segment, framing);
    }
    // A batch starting further on, with a sequence number that gains a digit inside it.
    const later = sealed(entries(12, 95));
    assert.equal(checkBinarySegment(copyOf(later.map(tupleOf)), 95, [])?.count, 12);
    assert.equal(checkBinarySegment(copyOf(later.map(tupleOf)), 94, []), null);
  });

  test('an entry rewritten without its hashes, or with a broken link, is refused', () => {
    for (const i of [0, 7, 39]) {
      const altered = good.map((e, j) => (j === i ? { ...e, actor: `${e.actor}x` } : e));
      assert.equal(checkBinarySegment(copyOf(altered.map(tupleOf)), 1, []), null, `actor of ${i + 1}`);
      const moved = good.map((e, j) => (j === i ? { ...e, us: e.us + 1000n } : e));
      assert.equal(checkBinarySegment(copyOf(moved.map(tupleOf)), 1, []), null, `time of ${i + 1}`);
    }
    // Entry 10's leaf recomputed by a forger: its own leaf matches, the chain does not.
    const forged = good.map((e) => ({ ...e }));
    forged[9] = sealed([{ ...forged[9]!, actor: 'forger' }])[0]!;
    forged[9]!.chainHash = good[9]!.chainHash;
    assert.equal(checkBinarySegment(copyOf(forged.map(tupleOf)), 1, []), null);
    // A missing entry.
    assert.equal(checkBinarySegment(copyOf(good.filter((e) => e.seq !== 20).map(tupleOf)), 1, []), null);
  });

  test('a NULL, a field more or less, a wrong length, a bad header or trailer, a time out of range are refused', () => {
    const tuples = good.map(tupleOf);
    const withTuple = (i: number, fields: Field[]) => copyOf(tuples.map((t, j) => (j === i ? fields : t)));
    for (let f = 0; f < 9; f++) {
      assert.equal(
        checkBinarySegment(
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
    assert.equal(checkBinarySegment(withTuple(3, [...tuples[3]!, Buffer.from('x')]), 1, []), null);
    assert.equal(checkBinarySegment(withTuple(3, tuples[3]!.slice(0, 8)), 1, []), null);
    // The stored hashes must be exactly 64 bytes.
    const longer = tuples[3]!.map((x, k) => (k === 7 ? Buffer.concat([x!, Buffer.from('0')]) : x));
    assert.equal(checkBinarySegment(withTuple(3, longer), 1, []), null);
    const seq4 = tuples[3]!.map((x, k) => (k === 0 ? Buffer.from([0, 0, 0, 4]) : x));
    assert.equal(checkBinarySegment(withTuple(3, seq4), 1, []), null);
    const whole = copyOf(tuples);
    assert.equal(checkBinarySegment(whole.subarray(0, whole.length - 7), 1, []), null);
    assert.equal(checkBinarySegment(Buffer.concat([whole, Buffer.from([0])]), 1, []), null);
    assert.equal(checkBinarySegment(Buffer.concat([whole, message(TRAILER)]), 1, []), null);
    const flagged = Buffer.from(whole);
    flagged[5 + 13] = 1; // the OIDs flag
    assert.equal(checkBinarySegment(flagged, 1, []), null);
    assert.equal(checkBinarySegment(copyOf([]), 1, []), null);
    // A tuple split over two messages, and a message whose length runs past the batch.
    const second = tupleBytes(tuples[1]!);
    const split = Buffer.concat([
      message(Buffer.concat([FILE_HEADER, tupleBytes(tuples[0]!)])),
      message(second.subarray(0, 40)),
      message(second.subarray(40)),
      message(TRAILER),
    ]);
    assert.equal(checkBinarySegment(split, 1, []), null);
    const overlong = Buffer.from(copyOf(tuples.slice(0, 2)));
    overlong.writeInt32BE(overlong.readInt32BE(1) + 1, 1);
    assert.equal(checkBinarySegment(overlong, 1, []), null);
    // Times toISOString cannot write in its usual form (with the hashes of a valid entry: the time is
    // refused before any hash is compared), and PostgreSQL's infinities.
    for (const us of [
      BigInt(MIN_MS - 1) * 1000n - PG_EPOCH_US,
      BigInt(MAX_MS + 1) * 1000n - PG_EPOCH_US,
      2n ** 63n - 1n,
      -(2n ** 63n),
    ]) {
      assert.equal(checkBinarySegment(copyOf([tupleOf({ ...good[0]!, us })]), 1, []), null, String(us));
    }
  });
});

describe('the COPY of a live log (PostgreSQL)', () => {
  const node = bareTestNode();
  const { db, keys } = node;

  beforeEach(async () => {
    await db().execute(sql`TRUNCATE audit_entries, audit_tree_heads`);
    await db().execute(
      sql`UPDATE audit_state SET size = 0, frontier = '{"size":0,"hashes":[]}'::jsonb, chain_head = '' WHERE id = 1`,
    );
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
    assert.equal(checkBinarySegment(batch, 1, [])?.count, 24);
    await node.ctx.audit.signTreeHead();
    for (const batchSize of [4, 16_384]) {
      for (const hashWorkers of [0, 2]) {
        const binary = await verifyAuditLog(node.ctx.database, keys(), undefined, { batchSize, hashWorkers });
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
    for (const hashWorkers of [0, 1]) {
      const result = await verifyAuditLog(node.ctx.database, keys(), undefined, {
        batchSize: 4,
        hashWorkers,
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
