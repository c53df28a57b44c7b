import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { keyedHash } from '../../src/crypto/hash.ts';
import { createCheckService } from '../../src/hub/check-service.ts';
import { createHubService } from '../../src/hub/hub-service.ts';
import { derivedIndicatorIdSql, deriveIndicatorId } from '../../src/hub/indicator-ids.ts';
import { createIndicatorRows } from '../../src/hub/indicator-rows.ts';
import { createMapLookupIndex } from '../../src/hub/lookup-index.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

// A hit is answered from memory when its alert's indicator ids are derived: the row's alert comes from
// the row owners, its id from (alert, type, value). Proved by counting the reads of the real rows
// reader the check service is given; alerts with older random ids still get their ids from the database.
const clock = manualClock('2026-12-01T08:00:00.000Z');
let node: TestNode;
let cast: Cast;

before(async () => {
  node = await startTestNode({ clock, config: { nodeState: 'VN' } });
  cast = await castHub(node);
});
after(() => node.close());

type Hub = Awaited<ReturnType<typeof createHubService>>;

/** A check service over a hub's index and alerts whose database reads of row ids are counted. */
function countedCheck(hub: Hub) {
  const real = createIndicatorRows(node.ctx.database.db);
  const reads = { count: 0 };
  const check = createCheckService({
    clock,
    index: hub.index,
    alerts: hub.alerts,
    membership: hub.membership,
    rows: {
      ...real,
      refsOf: (rowNos) => {
        reads.count++;
        return real.refsOf(rowNos);
      },
    },
  });
  return { check, reads };
}

async function publish(values: string[]) {
  const { alert } = await node.ctx.hub.alerts.publish(cast.viewer('bank'), {
    kind: 'scam_campaign',
    title: 'derived ids',
    confidence: 60,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: values.map((value) => ({ type: 'domain', value })),
  });
  return alert;
}

test('derived ids: a UUIDv8 per (alert, type, value), the same in SQL as in TypeScript', async () => {
  const alertId = '0193f6c2-1111-7000-8000-000000000001';
  const id = deriveIndicatorId(alertId, 'domain', 'scam.example');
  assert.match(id, /^0193f6c2-1111-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(deriveIndicatorId(alertId, 'domain', 'scam.example'), id);
  assert.notEqual(deriveIndicatorId(alertId, 'url', 'scam.example'), id);
  assert.notEqual(deriveIndicatorId(alertId, 'domain', 'scam.example2'), id);
  assert.notEqual(deriveIndicatorId('0193f6c2-1111-7000-8000-000000000002', 'domain', 'scam.example'), id);
  const cases = [
    ['domain', 'scam.example'],
    ['phone', '+84912000111'],
    ['url', "https://xn--e1afmkfd.xn--p1ai/a'b\\c?é=ü"],
    ['email', 'ünïcödé@例え.jp'],
  ];
  for (const [type, value] of cases) {
    const [row] = rowsOf<{ id: string }>(
      await node.ctx.database.db.execute(
        sql`SELECT ${sql.raw(derivedIndicatorIdSql('t.a', 't.ty', 't.v'))} AS id
            FROM (SELECT ${alertId}::uuid AS a, ${type}::text AS ty, ${value}::text AS v) AS t`,
      ),
    );
    assert.equal(row!.id, deriveIndicatorId(alertId, type!, value!), `${type} ${value}`);
  }
});

test('a published alert stores derived ids, and its hits are answered without a database read', async () => {
  const alert = await publish(['memory-one.example', 'memory-two.example']);
  for (const i of alert.indicators) assert.equal(i.id, deriveIndicatorId(alert.id, i.type, i.value));
  const { check, reads } = countedCheck(node.ctx.hub);
  const telecom = cast.viewer('telecom');
  const one = await check.checkOne(telecom, 'domain', 'memory-one.example');
  assert.deepEqual(
    one.matches.map((m) => [m.alertId, m.indicatorId]),
    [[alert.id, alert.indicators.find((i) => i.value === 'memory-one.example')!.id]],
  );
  const many = await check.checkMany(telecom, [
    { type: 'domain', value: 'memory-two.example' },
    { type: 'domain', value: 'not-stored.example' },
  ]);
  assert.deepEqual(
    many.map((r) => ('matches' in r ? r.matches.map((m) => m.indicatorId) : r.error)),
    [[alert.indicators.find((i) => i.value === 'memory-two.example')!.id], []],
  );
  assert.equal(reads.count, 0, 'no database read for hits of an alert with derived ids');
  // Privacy mode never learns the value, so it reads the ids from the database.
  const key = node.ctx.hub.membership.groupKey(cast.national);
  const keyed = await check.checkKeyed(telecom, cast.national, [
    { type: 'domain', hash: keyedHash(key, 'memory-one.example') },
  ]);
  assert.equal(keyed.matches[0]!.matches[0]!.indicatorId, one.matches[0]!.indicatorId);
  assert.equal(reads.count, 1);
});

test('an alert stored with random ids is answered from the database, after a restart too', async () => {
  const alert = await publish(['older-ids.example']);
  const db = node.ctx.database.db;
  // As stored before derived ids: random indicator ids, and the alert not flagged.
  await db.execute(sql`UPDATE hub_indicators SET id = gen_random_uuid() WHERE alert_id = ${alert.id}`);
  await db.execute(sql`UPDATE hub_alerts SET indicator_ids_derived = false WHERE id = ${alert.id}`);
  const [stored] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM hub_indicators WHERE alert_id = ${alert.id}`),
  );
  for (const index of [undefined, createMapLookupIndex()]) {
    const again = await createHubService(node.ctx.database, clock, { index, startPage: 3 });
    try {
      const { check, reads } = countedCheck(again);
      const telecom = again.membership.viewerFor({
        userId: cast.users.telecom.id,
        roles: ['PRIVATE_LIAISON'],
      });
      const found = await check.checkOne(telecom, 'domain', 'older-ids.example');
      assert.deepEqual(
        found.matches.map((m) => m.indicatorId),
        [stored!.id],
      );
      assert.equal(reads.count, 1);
      // The alerts published before, with derived ids, are still answered from memory after the restart.
      assert.equal((await check.checkOne(telecom, 'domain', 'memory-one.example')).matches.length, 1);
      assert.equal(reads.count, 1);
    } finally {
      await again.stop();
    }
  }
});
