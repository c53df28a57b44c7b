import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { runningDigests } from '../../src/evidence/transfer/running-digest.ts';

const chunks = Array.from({ length: 30 }, () => randomBytes(1000));
const sha = (parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

test('chunks stored a little out of order and twice give the digest of the item in order', () => {
  const digests = runningDigests();
  const order = [0, 2, 1, 1, 5, 3, 4, 0, 7, 6, ...Array.from({ length: 22 }, (_, i) => 8 + i)];
  for (const i of order) digests.stored('item', i, chunks[i]!);
  const { hash, next } = digests.take('item');
  assert.equal(next, 30);
  assert.equal(hash.digest('hex'), sha(chunks));
  // Taken once: the next take starts again from nothing.
  assert.equal(digests.take('item').next, 0);
});

test('chunk 0 overtaken by the next chunks in flight still starts the digest', () => {
  const digests = runningDigests();
  for (const i of [2, 1, 3, 0, ...Array.from({ length: 26 }, (_, k) => 4 + k)])
    digests.stored('item', i, chunks[i]!);
  const { hash, next } = digests.take('item');
  assert.equal(next, 30);
  assert.equal(hash.digest('hex'), sha(chunks));
});

test('a chunk too far ahead is not kept: the digest stops at the gap, and reading on from there gives the item', () => {
  const digests = runningDigests();
  digests.stored('item', 0, chunks[0]!);
  // Chunks 2 to 20 arrive before 1: only the first few of them wait.
  for (let i = 2; i <= 20; i++) digests.stored('item', i, chunks[i]!);
  digests.stored('item', 1, chunks[1]!);
  const { hash, next } = digests.take('item');
  assert.ok(next > 2 && next < 21, `stopped at ${next}`);
  for (let i = next; i < chunks.length; i++) hash.update(chunks[i]!);
  assert.equal(hash.digest('hex'), sha(chunks));
});

test('an item first met after its start (a restarted node) has no digest here: it is read back whole', () => {
  const digests = runningDigests();
  for (let i = 5; i < 10; i++) digests.stored('item', i, chunks[i]!);
  const { hash, next } = digests.take('item');
  assert.equal(next, 0);
  assert.equal(hash.digest('hex'), sha([]));
});

test('the bytes are only lent: an early chunk is copied, so a caller may reuse its buffer at once', () => {
  const digests = runningDigests();
  const lent = Buffer.alloc(1000);
  for (const i of [0, 3, 2, 1, 4, 6, 5, ...Array.from({ length: 23 }, (_, k) => 7 + k)]) {
    chunks[i]!.copy(lent);
    digests.stored('item', i, lent);
    lent.fill(0xee);
  }
  const { hash, next } = digests.take('item');
  assert.equal(next, 30);
  assert.equal(hash.digest('hex'), sha(chunks));
});
