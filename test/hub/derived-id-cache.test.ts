import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { createDerivedIdCache } from '../../src/hub/derived-id-cache.ts';
import { deriveIndicatorId } from '../../src/hub/indicator-ids.ts';

const hit = (rowNo: number) => ({ rowNo, alertId: randomUUID(), type: 'domain', value: `r${rowNo}.example` });
type Hit = ReturnType<typeof hit>;
const idsOf = (cache: ReturnType<typeof createDerivedIdCache>, hits: Hit[]) =>
  cache.idsOf(
    hits.map((h) => h.rowNo),
    hits.map((h) => h.alertId),
    hits.map((h) => h.type),
    hits.map((h) => h.value),
  );
const derived = (hits: Hit[]) => hits.map((h) => deriveIndicatorId(h.alertId, h.type, h.value));

test('the ids of hits are the derived ones, whether kept or derived now, in the order asked', () => {
  const cache = createDerivedIdCache(100);
  const first = Array.from({ length: 20 }, (_, i) => hit(i));
  assert.deepEqual(idsOf(cache, first), derived(first));
  assert.equal(cache.size, 20);
  // Kept rows and new rows mixed: each answer in its place.
  const mixed = [first[3]!, hit(50), first[0]!, hit(51), first[19]!];
  assert.deepEqual(idsOf(cache, mixed), derived(mixed));
  assert.equal(cache.size, 22);
  // A kept id is served from the cache: the row's alert, type and value never change.
  const again = { ...first[5]!, alertId: randomUUID() };
  assert.equal(idsOf(cache, [again])[0], derived([first[5]!])[0]);
  assert.deepEqual(idsOf(cache, []), []);
});

test('the cache is emptied when full and keeps no more than its limit', () => {
  const cache = createDerivedIdCache(10);
  const some = Array.from({ length: 8 }, (_, i) => hit(i));
  idsOf(cache, some);
  assert.equal(cache.size, 8);
  const more = Array.from({ length: 5 }, (_, i) => hit(100 + i));
  assert.deepEqual(idsOf(cache, more), derived(more));
  assert.equal(cache.size, 5, 'emptied, then the new ones kept');
  const many = Array.from({ length: 25 }, (_, i) => hit(200 + i));
  assert.deepEqual(idsOf(cache, many), derived(many));
  assert.ok(cache.size <= 10);
});

test('a single hit takes the same id as a batch, shares what the batch kept, and stays within the limit', () => {
  const cache = createDerivedIdCache(3);
  const some = Array.from({ length: 3 }, (_, i) => hit(i));
  idsOf(cache, some);
  // Kept by the batch: served from the cache, whatever the (never changing) row is said to hold.
  assert.equal(cache.idOf(1, randomUUID(), 'domain', 'other.example'), derived([some[1]!])[0]);
  const single = hit(9);
  assert.equal(cache.idOf(single.rowNo, single.alertId, single.type, single.value), derived([single])[0]);
  assert.equal(cache.size, 1, 'full: emptied, then the new one kept');
  assert.deepEqual(idsOf(cache, [single]), derived([single]), 'and a batch then finds it');
});
