import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRowOwners } from '../../src/hub/row-owners.ts';

/** A small seeded generator, so that a failing order can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

test('rows of one alert written together make one run, in any order they are set', () => {
  for (const order of ['ascending', 'descending', 'shuffled']) {
    const owners = createRowOwners();
    const rows = Array.from({ length: 1000 }, (_, i) => 500 + i);
    if (order === 'descending') rows.reverse();
    if (order === 'shuffled') shuffle(rows, random(7));
    for (const r of rows) owners.set(r, 'alert-a');
    // Shuffled rows leave gaps while they arrive; the gaps close as the rest fill them.
    assert.equal(owners.runs, 1, order);
    assert.equal(owners.alertOf(500), 'alert-a');
    assert.equal(owners.alertOf(1499), 'alert-a');
    assert.equal(owners.alertOf(499), null);
    assert.equal(owners.alertOf(1500), null);
  }
});

test('interleaved rows of several alerts, set in any order, each keep their owner', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const next = random(seed);
    const owners = createRowOwners();
    const truth = new Map<number, string>();
    // Alerts write in bursts that interleave, as concurrent transactions do.
    let rowNo = 1 + Math.floor(next() * 10);
    while (rowNo < 600) {
      const alert = `alert-${Math.floor(next() * 6)}`;
      const burst = 1 + Math.floor(next() * 40);
      for (let i = 0; i < burst; i++) truth.set(rowNo++, alert);
      rowNo += Math.floor(next() * 3); // rows gone or never indexed
    }
    const order = [...truth.keys()];
    if (seed % 3 !== 0) shuffle(order, next);
    for (const r of order) {
      owners.set(r, truth.get(r)!);
      owners.set(r, truth.get(r)!); // setting a row again changes nothing
    }
    for (const [r, alert] of truth) assert.equal(owners.alertOf(r), alert, `seed ${seed}, row ${r}`);
    assert.ok(owners.runs <= truth.size, `seed ${seed}: ${owners.runs} runs for ${truth.size} rows`);
  }
});

test('rows set in increasing order take one run per burst of an alert', () => {
  const owners = createRowOwners();
  for (let r = 1; r <= 100; r++) owners.set(r, 'a');
  for (let r = 101; r <= 150; r++) owners.set(r, 'b');
  for (let r = 160; r <= 200; r++) owners.set(r, 'a');
  assert.equal(owners.runs, 3);
  assert.equal(owners.alertOf(155), null);
  assert.equal(owners.alertOf(120), 'b');
  assert.ok(owners.bytes < 1000);
});
