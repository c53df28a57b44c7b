// The TAXII dates of the objects made from alerts are taken in the database with the alert and with
// each feedback (drizzle/0038, src/taxii/taxii-positions.ts), and the migration gives the alerts and
// feedback written before it dates in the order the TAXII view read them until then: an alert at its
// last change, a feedback at its own time but not before its alert's last change.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, rowsOf } from '../../src/store/database.ts';
import { alertSlots } from '../../src/taxii/taxii-positions.ts';
import { hubSession } from '../hub/hub-session.ts';
import { addIdentities, publishAlert } from './taxii-crawl.ts';

const { session, as } = hubSession(['bank', 'cert']);
const collection = () => `/taxii2/hub/collections/${session.cast.national}/`;
const db = () => session.node.ctx.database.db;

const publish = (indicators: number) => publishAlert(as('cert'), session.cast.national, indicators);

type Placed = { id: string; us: number; last: number; at: number; n: number };

/** The national collection's alerts with their dates, their last change and their indicators. */
async function alerts(): Promise<Placed[]> {
  const rows = rowsOf<Record<string, string | number>>(
    await db().execute(sql`SELECT a.id, a.taxii_us AS us, a.taxii_last_us AS last,
        floor(extract(epoch FROM a.updated_at) * 1000000) AS at,
        (SELECT count(*) FROM hub_indicators i WHERE i.alert_id = a.id) AS n
      FROM hub_alerts a WHERE a.group_id = ${session.cast.national} ORDER BY a.updated_at, a.id`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    us: Number(r.us),
    last: Number(r.last),
    at: Number(r.at),
    n: Number(r.n),
  }));
}

/** Feedback with its date, its time (not before its alert's last change) and its alert's date. */
async function feedback() {
  return rowsOf<Record<string, string | number>>(
    await db().execute(sql`SELECT r.taxii_us AS us, a.taxii_us AS alert_us,
        floor(extract(epoch FROM greatest(r.created_at, a.updated_at)) * 1000000) AS at
      FROM hub_reports r JOIN hub_alerts a ON a.id = r.alert_id WHERE a.group_id = ${session.cast.national}`),
  ).map((r) => ({ us: Number(r.us), alertUs: Number(r.alert_us), at: Number(r.at) }));
}

const mark = async () =>
  Number(
    rowsOf<{ last_us: string }>(
      await db().execute(sql`SELECT last_us FROM hub_taxii_marks WHERE group_id = ${session.cast.national}`),
    )[0]?.last_us,
  );

/** Every alert has a run of even dates, one for each object it can make, in the order of last change. */
async function assertInOrder(what: string): Promise<void> {
  const list = await alerts();
  let before = Number.NEGATIVE_INFINITY;
  for (const a of list) {
    assert.ok(Number.isSafeInteger(a.us) && a.us % 2 === 0, `${what}: an even date (${a.us})`);
    assert.equal(a.last, a.us + 2 * (alertSlots(a.n) - 1), `${what}: a date for each object`);
    assert.ok(a.us >= a.at, `${what}: not before the alert's last change`);
    assert.ok(a.us > before, `${what}: in the order of the alerts' last changes, no two runs overlap`);
    before = a.last;
  }
  for (const f of await feedback()) {
    assert.ok(f.us % 2 === 0 && f.us >= f.at, `${what}: a feedback's date is even, not before its time`);
    assert.ok(f.us > f.alertUs, `${what}: a feedback comes after its alert`);
  }
  const kept = rowsOf<{ us: string }>(
    await db().execute(sql`SELECT max(date_added_us) AS us FROM hub_stix_objects
      WHERE group_id = ${session.cast.national}`),
  )[0]!;
  const last = Math.max(
    Number(kept.us),
    ...list.map((a) => a.last),
    ...(await feedback()).map((f) => f.us + 2),
  );
  assert.equal(await mark(), last, `${what}: the collection's mark is its last date`);
}

test('alerts and feedback take their dates when written; the migration dates those written before it in the same order', async () => {
  const first = await publish(2);
  await addIdentities(as('bank'), collection(), 3);
  const second = await publish(1);
  const sighting = await as('bank').post(`/api/v1/hub/alerts/${second}/sightings`, {});
  assert.equal(sighting.status, 201, sighting.text);
  const patched = await as('cert').call('PATCH', `/api/v1/hub/alerts/${first}`, {
    addIndicators: [{ type: 'domain', value: 'p-added.example' }],
  });
  assert.equal(patched.status, 200, patched.text);
  await publish(3);
  await assertInOrder('as written');
  const written = await alerts();
  const keptBefore = rowsOf(
    await db().execute(sql`SELECT id, date_added_us FROM hub_stix_objects ORDER BY id`),
  );

  // The state before the migration, then its last statement (the dates of what was written).
  await db().execute(sql`UPDATE hub_alerts SET taxii_us = NULL, taxii_last_us = NULL`);
  await db().execute(sql`UPDATE hub_reports SET taxii_us = NULL`);
  await db().execute(sql`DELETE FROM hub_taxii_marks`);
  const migration = readFileSync(join(MIGRATIONS_FOLDER, '0038_taxii_alert_positions.sql'), 'utf8');
  const backfill = migration.split('--> statement-breakpoint').at(-1)!;
  await db().execute(sql.raw(backfill));
  await assertInOrder('after the migration');
  assert.deepEqual(
    (await alerts()).map((a) => a.id),
    written.map((a) => a.id),
    'the same order as when written',
  );
  assert.deepEqual(
    rowsOf(await db().execute(sql`SELECT id, date_added_us FROM hub_stix_objects ORDER BY id`)),
    keptBefore,
    'kept objects keep their dates',
  );

  // What is written next comes after all of it.
  const before = await mark();
  const next = await publish(1);
  const placed = (await alerts()).find((a) => a.id === next)!;
  assert.ok(placed.us > before, 'a new alert after every date handed out');
  await assertInOrder('after a new alert');
});
