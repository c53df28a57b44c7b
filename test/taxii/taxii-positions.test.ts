// The TAXII dates of the objects made from alerts are taken in the database with the alert and with
// each feedback (drizzle/0038, src/taxii/taxii-positions.ts), and the migration gives the alerts and
// feedback written before it dates in the order the TAXII view read them until then: an alert at its
// last change, a feedback at its own time but not before its alert's last change. The objects that
// recur across alerts are dated once, by the write that first brings them (drizzle/0040). An alert
// given more indicators than its run of dates holds (SQL from outside the hub) is still served.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { stixId } from '../../src/stix/stix-ids.ts';
import { MIGRATIONS_FOLDER, rowsOf } from '../../src/store/database.ts';
import { alertSlots, SLOT } from '../../src/taxii/taxii-positions.ts';
import { hubSession } from '../hub/hub-session.ts';
import { addIdentities, publishAlert, TAXII } from './taxii-crawl.ts';

/** The national collection's recurring objects: key, date, and the first date of the write that brought it. */
async function recurring() {
  return rowsOf<{ key: string; us: string; writer: string; by_alert: boolean }>(
    await db().execute(sql`SELECT s.key, s.us, coalesce(a.taxii_us, r.taxii_us) AS writer,
        a.id IS NOT NULL AS by_alert
      FROM hub_taxii_shared s LEFT JOIN hub_alerts a ON a.id = s.by_id LEFT JOIN hub_reports r ON r.id = s.by_id
      WHERE s.group_id = ${session.cast.national} ORDER BY s.key`),
  ).map((r) => ({ key: r.key, us: Number(r.us), writer: Number(r.writer), byAlert: r.by_alert }));
}

/** Each recurring object is at its slot in the run of the write that brought it. */
function assertAtSlots(list: Awaited<ReturnType<typeof recurring>>, what: string): void {
  for (const r of list) {
    const [kind, name] = [r.key.slice(0, 3), r.key.slice(4)];
    const slot =
      kind === 'tlp'
        ? SLOT.marking
        : kind === 'org'
          ? r.byAlert
            ? SLOT.publisher
            : 0
          : name === 'author'
            ? SLOT.extensionAuthor
            : SLOT.extension(name);
    assert.equal(r.us, r.writer + 2 * slot, `${what}: ${r.key} at its slot`);
  }
}

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
  const shared = await recurring();
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
  // drizzle/0040 dates the recurring objects at their slots in the earliest write that brings them.
  assertAtSlots(shared, 'as written');
  await db().execute(sql`DELETE FROM hub_taxii_shared`);
  const shares = readFileSync(join(MIGRATIONS_FOLDER, '0040_taxii_shared_positions.sql'), 'utf8');
  await db().execute(sql.raw(shares.split('--> statement-breakpoint').at(-1)!));
  const backfilled = await recurring();
  assert.deepEqual(
    backfilled.map((r) => r.key),
    shared.map((r) => r.key),
    'the migration dates the recurring objects the writes dated',
  );
  assertAtSlots(backfilled, 'after the migration');
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

test('an alert given indicators from outside the hub past its run of dates is still served, within its run', async () => {
  const asean = session.cast.asean;
  const alertId = await publishAlert(as('cert'), asean, 1, 'phone');
  // Four more indicators by SQL: the alert's run of dates holds one.
  await db().execute(sql`INSERT INTO hub_indicators (id, alert_id, type, value, value_hash, created_at)
    SELECT gen_random_uuid(), ${alertId}, 'domain', 'oob-' || n || '.example', md5(n::text), now()
    FROM generate_series(1, 4) n`);
  const [run] = rowsOf<{ us: string; last: string }>(
    await db().execute(
      sql`SELECT taxii_us AS us, taxii_last_us AS last FROM hub_alerts WHERE id = ${alertId}`,
    ),
  );
  const indicators = rowsOf<{ id: string }>(
    await db().execute(sql`SELECT id FROM hub_indicators WHERE alert_id = ${alertId}`),
  ).map((r) => stixId.indicator(r.id));
  assert.equal(indicators.length, 5);

  const reply = await as('cert').call(
    'GET',
    `/taxii2/hub/collections/${asean}/manifest/?limit=1000`,
    undefined,
    {
      accept: TAXII,
    },
  );
  assert.equal(reply.status, 200, reply.text);
  const entries = reply.body.objects as { id: string; date_added: string }[];
  const own = entries.filter((e) => e.id === stixId.report(alertId) || indicators.includes(e.id));
  assert.equal(own.length, 1 + indicators.length, 'the report and every indicator, once each');
  const us = (t: string) => Date.parse(t) * 1000 + Number(t.slice(23, 26));
  for (const e of own)
    assert.ok(
      us(e.date_added) >= Number(run!.us) && us(e.date_added) <= Number(run!.last),
      `${e.id} within the alert's run of dates`,
    );
});
