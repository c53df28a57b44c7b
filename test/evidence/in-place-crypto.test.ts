// Chunk handling without a megabyte of garbage: a transfer record decrypted in its own buffer, then
// buffer, then sealed again in that buffer under the node's key, gives the same record a reader opens;
// an altered record is refused; the record pool hands the same memory out again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  newDataKey,
  openChunk,
  openChunkInPlace,
  RECORD_OVERHEAD,
  sealChunk,
  sealChunkInPlace,
} from '../../src/evidence/evidence-crypto.ts';
import { recordPool } from '../../src/evidence/transfer/record-pool.ts';
import {
  ChunkRefusedError,
  openTransferChunkInPlace,
  sealTransferChunkInPlace,
} from '../../src/evidence/transfer/transfer-wire.ts';

const where = { packageId: '01900000-0000-7000-8000-000000000001', item: 0, chunk: 7 };

/** A transfer record of `plain`, as a sender puts it on the wire (a fresh buffer, plaintext left intact). */
function wireRecord(key: Buffer, at: typeof where, plain: Buffer): Buffer {
  const record = Buffer.alloc(plain.length + RECORD_OVERHEAD);
  plain.copy(record, 12); // behind the 12-byte nonce
  return sealTransferChunkInPlace(key, at, record);
}

for (const size of [0, 1, 65_535, 65_536, 1024 * 1024 - 3, 1024 * 1024])
  test(`a ${size}-byte chunk: decrypted in place, sealed in place, opened by the store's reader`, () => {
    const plain = randomBytes(size);
    const transferKey = randomBytes(32);
    const record = wireRecord(transferKey, where, plain);
    const opened = openTransferChunkInPlace(transferKey, where, record);
    assert.ok(opened.equals(plain));
    assert.equal(opened.buffer, record.buffer, 'the plaintext is the record’s own memory');
    const dataKey = newDataKey();
    const sealed = sealChunkInPlace(dataKey, 7, record);
    assert.equal(sealed.length, size + RECORD_OVERHEAD);
    assert.equal(sealed.buffer, record.buffer);
    assert.ok(openChunk(dataKey, 7, sealed).equals(plain));
    // Bound to its index: chunk 8's place does not open it.
    assert.throws(() => openChunk(dataKey, 8, sealed), { code: 'ERR_EVIDENCE_INTEGRITY' });
  });

for (const size of [0, 1, 65_536, 1024 * 1024])
  test(`a stored ${size}-byte chunk: opened in place, sealed for transfer in place, opened by the receiver`, () => {
    const plain = randomBytes(size);
    const dataKey = newDataKey();
    const record = sealChunk(dataKey, 7, plain);
    const opened = openChunkInPlace(dataKey, 7, record);
    assert.ok(opened.equals(plain));
    assert.equal(opened.buffer, record.buffer, 'the plaintext is the record’s own memory');
    const transferKey = randomBytes(32);
    const wire = sealTransferChunkInPlace(transferKey, where, record);
    assert.equal(wire.buffer, record.buffer);
    assert.equal(wire.length, size + RECORD_OVERHEAD);
    assert.ok(openTransferChunkInPlace(transferKey, where, Buffer.from(wire)).equals(plain));
    // Bound to its place: another chunk's place does not open it.
    assert.throws(
      () => openTransferChunkInPlace(transferKey, { ...where, chunk: 8 }, wire),
      ChunkRefusedError,
    );
  });

test('an altered or misplaced stored record does not open in place', () => {
  const dataKey = newDataKey();
  const altered = sealChunk(dataKey, 3, randomBytes(100_000));
  altered[50_000]! ^= 1;
  assert.throws(() => openChunkInPlace(dataKey, 3, altered), { code: 'ERR_EVIDENCE_INTEGRITY' });
  assert.throws(() => openChunkInPlace(dataKey, 4, sealChunk(dataKey, 3, randomBytes(10))), {
    code: 'ERR_EVIDENCE_INTEGRITY',
  });
  assert.throws(() => openChunkInPlace(dataKey, 3, Buffer.alloc(20)), /truncated/);
});

test('an altered or misplaced transfer record is refused', () => {
  const transferKey = randomBytes(32);
  const plain = randomBytes(200_000);
  const altered = wireRecord(transferKey, where, plain);
  altered[100_000]! ^= 1;
  assert.throws(() => openTransferChunkInPlace(transferKey, where, altered), ChunkRefusedError);
  const moved = wireRecord(transferKey, where, plain);
  assert.throws(
    () => openTransferChunkInPlace(transferKey, { ...where, chunk: 8 }, moved),
    (e: ChunkRefusedError) => e.code === 'ERR_EVIDENCE_CHUNK_INVALID' && e.reason === 'decrypt',
  );
  assert.throws(() => openTransferChunkInPlace(transferKey, where, Buffer.alloc(20)), /truncated/);
});

test('the record pool hands the same memory out again, and keeps no more than it may', () => {
  const pool = recordPool(4096, 2);
  const a = pool.take(100);
  const b = pool.take(4096);
  const c = pool.take(10);
  assert.equal(a.length, 100);
  assert.throws(() => pool.take(4097), RangeError);
  pool.give(a);
  pool.give(a);
  pool.give(b);
  pool.give(c);
  const again = [pool.take(1), pool.take(1), pool.take(1)].map((x) => x.buffer);
  assert.ok(again.includes(a.buffer) && again.includes(b.buffer));
  assert.ok(!again.includes(c.buffer), 'a third buffer was not kept');
  // A buffer of another size is not taken in.
  pool.give(Buffer.alloc(100));
  assert.equal(pool.take(1).buffer.byteLength, 4096);
});
