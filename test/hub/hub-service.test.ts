import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { keyedHash } from '../../src/crypto/hash.ts';
import { createCheckService } from '../../src/hub/check-service.ts';
import { createHubService } from '../../src/hub/hub-service.ts';
import type { HubEvent } from '../../src/hub/hub-types.ts';
import { derivedIndicatorIdSql, deriveIndicatorId } from '../../src/hub/indicator-ids.ts';
import { createIndicatorRows } from '../../src/hub/indicator-rows.ts';
import { createMapLookupIndex } from '../../src/hub/lookup-index.ts';
import { seedHub } from '../../src/hub/seed-hub.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

const clock = manualClock('2026-12-01T08:00:00.000Z');
let node: TestNode;
let cast: Cast;

before(async () => {
  node = await startTestNode({ clock, config: { nodeState: 'VN' } });
  cast = await castHub(node);
});
after(() => node.close());

const hub = () => node.ctx.hub;

test('the demo seed creates organisations, groups and alerts once', async () => {
  const m = hub().membership;
  assert.equal(m.listGroups().length, 2);
  assert.ok(hub().index.size >= 10, `index holds ${hub().index.size}`);
  assert.deepEqual(await seedHub(node.ctx), { seeded: false });
  assert.equal(m.listGroups().length, 2);
  const asean = m.group(cast.asean);
  assert.ok(asean.memberOrgIds.includes(cast.orgs.cert));
  assert.ok(!asean.memberOrgIds.includes(cast.orgs.bank));
});

test('publish keeps the good values, reports each bad one, and audits in the same transaction', async () => {
  const result = await hub().alerts.publish(cast.viewer('bank'), {
    kind: 'scam_campaign',
    title: 'mule accounts',
    confidence: 70,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [
      { type: 'iban', value: 'DE89 3704 0044 0532 0130 00' },
      { type: 'iban', value: 'DE89 3704 0044 0532 0130 01' },
      { type: 'phone', value: '0912 000 111' },
      { type: 'wallet', value: 'x' },
      { type: 'iban', value: 'de89370400440532013000' },
    ],
    defaultCountry: 'VN',
  });
  assert.equal(result.accepted, 2);
  assert.deepEqual(
    result.rejected.map((r) => r.index),
    [1, 3],
  );
  assert.match(result.rejected[0]!.error, /.+/);
  assert.deepEqual(result.alert.indicators.map((i) => i.value).sort(), [
    '+84912000111',
    'DE89370400440532013000',
  ]);
  const audit = rowsOf<{ action: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT action FROM audit_entries WHERE object_id = ${result.alert.id} ORDER BY seq`,
    ),
  );
  assert.deepEqual(
    audit.map((a) => a.action),
    ['hub.alert.publish'],
  );
  await assert.rejects(
    hub().alerts.publish(cast.viewer('bank'), {
      kind: 'scam_campaign',
      title: 'nothing valid',
      confidence: 10,
      tlp: 'GREEN',
      groupId: cast.national,
      indicators: [{ type: 'iban', value: 'nope' }],
    }),
    (e: Error & { errors?: { field: string }[] }) => e.errors?.[0]?.field === 'indicators/0',
  );
});

test('publishing needs an organisation that is a member of the group', async () => {
  const base = {
    kind: 'ransomware' as const,
    title: 't',
    confidence: 50,
    tlp: 'AMBER' as const,
    indicators: [{ type: 'ipv4', value: '192.0.2.1' }],
  };
  await assert.rejects(hub().alerts.publish(cast.viewer('lonely'), { ...base, groupId: cast.national }), {
    code: 'ERR_HUB_NO_ORG',
  });
  await assert.rejects(hub().alerts.publish(cast.viewer('bank'), { ...base, groupId: cast.asean }), {
    code: 'ERR_HUB_NOT_GROUP_MEMBER',
  });
  await assert.rejects(
    hub().alerts.publish(cast.viewer('bank'), {
      ...base,
      groupId: cast.national,
      tlp: 'RED',
      recipientOrgIds: [cast.orgs.outsider],
    }),
    { code: 'ERR_VALIDATION' },
  );
});

test('TLP decides who sees an alert, on every read path of the service', async () => {
  const values: Record<string, string> = {
    CLEAR: '192.0.2.10',
    GREEN: '192.0.2.11',
    AMBER: '192.0.2.12',
    'AMBER+STRICT': '192.0.2.13',
    RED: '192.0.2.14',
  };
  const ids: Record<string, string> = {};
  for (const [tlp, value] of Object.entries(values)) {
    const r = await hub().alerts.publish(cast.viewer('cert'), {
      kind: 'ransomware',
      title: `tlp ${tlp}`,
      confidence: 90,
      tlp: tlp as 'RED',
      groupId: cast.national,
      recipientOrgIds: tlp === 'RED' || tlp === 'AMBER+STRICT' ? [cast.orgs.telecom] : [],
      indicators: [{ type: 'ipv4', value }],
    });
    ids[tlp] = r.alert.id;
  }
  // Expected readers per level: the publisher (cert), a named recipient (telecom), another group
  // member (bank), a hub member outside the group (outsider) and a user of no organisation (lonely).
  const expected: Record<string, string[]> = {
    CLEAR: ['cert', 'telecom', 'bank', 'outsider', 'lonely'],
    GREEN: ['cert', 'telecom', 'bank', 'outsider'],
    AMBER: ['cert', 'telecom', 'bank'],
    'AMBER+STRICT': ['cert', 'telecom'],
    RED: ['cert', 'telecom'],
  };
  for (const [tlp, readers] of Object.entries(expected)) {
    for (const who of ['cert', 'telecom', 'bank', 'outsider', 'lonely'] as const) {
      const viewer = cast.viewer(who);
      const may = readers.includes(who);
      const check = await hub().check.checkOne(viewer, 'ipv4', values[tlp]!);
      assert.equal(check.matches.length, may ? 1 : 0, `check ${tlp} by ${who}`);
      const listed = hub()
        .alerts.visibleMetas(viewer)
        .some((m) => m.id === ids[tlp]);
      assert.equal(listed, may, `list ${tlp} by ${who}`);
      if (may) assert.equal((await hub().alerts.view(viewer, ids[tlp]!)).tlp, tlp);
      else await assert.rejects(hub().alerts.view(viewer, ids[tlp]!), { code: 'ERR_NOT_FOUND' });
      const bulk = (await hub().check.checkMany(viewer, [{ type: 'ipv4', value: values[tlp] }]))[0]!;
      assert.equal('matches' in bulk && bulk.matches.length, may ? 1 : 0, `bulk ${tlp} by ${who}`);
    }
  }
});

test('revoke and the validity window stop matches; the clock decides expiry', async () => {
  const seen: HubEvent[] = [];
  const stop = hub().events.subscribe((e) => seen.push(e));
  const bank = cast.viewer('bank');
  const r = await hub().alerts.publish(bank, {
    kind: 'crypto_fraud',
    title: 'short-lived',
    confidence: 40,
    tlp: 'GREEN',
    groupId: cast.national,
    validUntil: new Date(clock.now().getTime() + 3_600_000).toISOString(),
    indicators: [{ type: 'email', value: 'scammer@example.com' }],
  });
  assert.equal((await hub().check.checkOne(bank, 'email', 'scammer@EXAMPLE.com')).matches.length, 1);
  clock.advance(3_600_000);
  assert.equal((await hub().check.checkOne(bank, 'email', 'scammer@example.com')).matches.length, 0);
  assert.equal((await hub().alerts.view(bank, r.alert.id)).state, 'expired');
  const indexed = hub().index.size;
  assert.equal(await hub().alerts.sweepExpired(), 1);
  assert.equal(hub().index.size, indexed - 1);
  assert.equal(await hub().alerts.sweepExpired(), 0);
  // Reopening the window puts the alert's values back in the index (read back from the database).
  await hub().alerts.update(bank, r.alert.id, {
    validUntil: new Date(clock.now().getTime() + 3_600_000).toISOString(),
  });
  assert.equal(hub().index.size, indexed);
  assert.equal((await hub().check.checkOne(bank, 'email', 'scammer@example.com')).matches.length, 1);
  await hub().alerts.expire(bank, r.alert.id);
  assert.equal(hub().index.size, indexed - 1);
  assert.equal((await hub().check.checkOne(bank, 'email', 'scammer@example.com')).matches.length, 0);

  const other = await hub().alerts.publish(bank, {
    kind: 'crypto_fraud',
    title: 'to revoke',
    confidence: 40,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'revoke-me.com' }],
  });
  await assert.rejects(hub().alerts.revoke(cast.viewer('telecom'), other.alert.id, 'not mine'), {
    code: 'ERR_HUB_NOT_PUBLISHER',
  });
  const revoked = await hub().alerts.revoke(bank, other.alert.id, 'false alarm');
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.version, 2);
  assert.equal((await hub().check.checkOne(bank, 'domain', 'revoke-me.com')).matches.length, 0);
  await assert.rejects(hub().alerts.revoke(bank, other.alert.id, 'again'), { code: 'ERR_HUB_REVOKED' });
  stop();
  assert.deepEqual(
    seen.map((e) => e.event),
    [
      'alert.published',
      'alert.expired',
      'alert.updated',
      'alert.updated',
      'alert.published',
      'alert.revoked',
    ],
  );
  assert.deepEqual(
    seen[1]!.removed.map((x) => x.value),
    ['scammer@example.com'],
  );
  assert.deepEqual(
    seen[5]!.removed.map((x) => x.value),
    ['revoke-me.com'],
  );
});

test('update adds and removes indicators, bumps the version and re-indexes', async () => {
  const bank = cast.viewer('bank');
  const r = await hub().alerts.publish(bank, {
    kind: 'scam_campaign',
    title: 'v1',
    confidence: 40,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'old-scam.com' }],
  });
  const oldId = r.alert.indicators[0]!.id;
  const u = await hub().alerts.update(bank, r.alert.id, {
    title: 'v2',
    addIndicators: [
      { type: 'domain', value: 'new-scam.com' },
      { type: 'domain', value: '-bad-' },
    ],
    removeIndicatorIds: [oldId],
  });
  assert.equal(u.alert.version, 2);
  assert.equal(u.alert.title, 'v2');
  assert.equal(u.rejected.length, 1);
  assert.equal((await hub().check.checkOne(bank, 'domain', 'old-scam.com')).matches.length, 0);
  assert.equal((await hub().check.checkOne(bank, 'domain', 'new-scam.com')).matches.length, 1);
  const expired = await hub().alerts.expire(bank, r.alert.id);
  assert.equal(expired.alert.state, 'expired');
  assert.equal((await hub().check.checkOne(bank, 'domain', 'new-scam.com')).matches.length, 0);
});

test('sightings and false positives reach the publisher; others see only their own', async () => {
  const cert = cast.viewer('cert');
  const r = await hub().alerts.publish(cert, {
    kind: 'scam_campaign',
    title: 'feedback',
    confidence: 60,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'phone', value: '+84 91 234 0000' }],
  });
  const indicatorId = r.alert.indicators[0]!.id;
  await hub().alerts.report(cast.viewer('bank'), r.alert.id, {
    kind: 'sighting',
    indicatorId,
    count: 14,
    note: 'blocked 14 transfers',
  });
  await hub().alerts.report(cast.viewer('telecom'), r.alert.id, { kind: 'false_positive', note: 'our IVR' });
  await assert.rejects(hub().alerts.report(cast.viewer('outsider'), r.alert.id, { kind: 'sighting' }), {
    code: 'ERR_NOT_FOUND',
  });
  const forPublisher = await hub().alerts.view(cert, r.alert.id);
  assert.deepEqual(
    forPublisher.feedback.map((f) => [f.kind, f.count, f.orgName]),
    [
      ['sighting', 14, 'Demo Bank (DEMO)'],
      ['false_positive', 1, 'Demo Telecom (DEMO)'],
    ],
  );
  const forBank = await hub().alerts.view(cast.viewer('bank'), r.alert.id);
  assert.deepEqual(
    forBank.feedback.map((f) => f.kind),
    ['sighting'],
  );
  // Feedback outlives an indicator the publisher removes.
  await hub().alerts.update(cert, r.alert.id, {
    addIndicators: [{ type: 'phone', value: '+84 91 234 0001' }],
    removeIndicatorIds: [indicatorId],
  });
  const kept = await hub().alerts.view(cert, r.alert.id);
  assert.equal(kept.feedback.length, 2);
  assert.equal(kept.feedback[0]!.indicatorId, null);
  // Two changes from the same version: one wins, the other is told the alert moved on.
  const results = await Promise.allSettled([
    hub().alerts.revoke(cert, r.alert.id, 'one'),
    hub().alerts.update(cert, r.alert.id, { title: 'two' }),
  ]);
  assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
  const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
  assert.ok(['ERR_HUB_STALE', 'ERR_HUB_REVOKED'].includes(lost.reason.code), lost.reason.code);
});

test('privacy mode: keyed hashes match only inside the group, and only what the caller may read', async () => {
  const cert = cast.viewer('cert');
  await hub().alerts.publish(cert, {
    kind: 'crypto_fraud',
    title: 'private wallet',
    confidence: 60,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'trx_wallet', value: 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW' }],
  });
  const key = hub().membership.groupKey(cast.national);
  const hit = keyedHash(key, 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW');
  const miss = keyedHash(key, 'TXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX');
  const res = await hub().check.checkKeyed(cast.viewer('bank'), cast.national, [
    { type: 'trx_wallet', hash: miss },
    { type: 'trx_wallet', hash: hit.toUpperCase() },
  ]);
  assert.equal(res.checked, 2);
  assert.deepEqual(
    res.matches.map((m) => m.i),
    [1],
  );
  // The same value hashed with another group's key does not match in this group.
  const wrongKey = keyedHash(hub().membership.groupKey(cast.asean), 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW');
  assert.equal(
    (
      await hub().check.checkKeyed(cast.viewer('cert'), cast.national, [
        { type: 'trx_wallet', hash: wrongKey },
      ])
    ).matches.length,
    0,
  );
  await assert.rejects(
    () => hub().check.checkKeyed(cast.viewer('outsider'), cast.national, [{ type: 'trx_wallet', hash: hit }]),
    {
      code: 'ERR_HUB_NOT_GROUP_MEMBER',
    },
  );
  await assert.rejects(
    () => hub().check.checkKeyed(cast.viewer('bank'), cast.national, [{ type: 'trx_wallet', hash: 'zz' }]),
    {
      code: 'ERR_VALIDATION',
    },
  );
});

test('all-or-nothing publishing writes nothing when one value is bad', async () => {
  const before = hub().alerts.visibleMetas(cast.viewer('cert')).length;
  const good = {
    kind: 'ransomware' as const,
    title: 'batch',
    confidence: 50,
    tlp: 'GREEN' as const,
    groupId: cast.national,
    indicators: [{ type: 'ipv4', value: '192.0.2.77' }],
  };
  await assert.rejects(
    hub().alerts.publishAll(
      cast.viewer('cert'),
      [good, { ...good, indicators: [{ type: 'ipv4', value: '999.1.1.1' }] }],
      'test',
    ),
    (e: Error & { errors?: { field: string }[] }) => e.errors?.[0]?.field === 'alerts/1/indicators/0',
  );
  assert.equal(hub().alerts.visibleMetas(cast.viewer('cert')).length, before);
  assert.equal((await hub().check.checkOne(cast.viewer('cert'), 'ipv4', '192.0.2.77')).matches.length, 0);
});

test('the index is rebuilt from the database at start (packed index and the plain Map one alike)', async () => {
  for (const index of [undefined, createMapLookupIndex()]) {
    // Pages of two rows: the start-up load crosses many pages of the primary key.
    const again = await createHubService(node.ctx.database, clock, { index, startPage: 2 });
    assert.equal(again.index.size, hub().index.size);
    const viewer = again.membership.viewerFor({ userId: cast.users.bank.id, roles: ['PRIVATE_LIAISON'] });
    assert.equal((await again.check.checkOne(viewer, 'iban', 'DE89370400440532013000')).matches.length, 1);
    assert.equal((await again.check.checkOne(viewer, 'domain', 'revoke-me.com')).matches.length, 0);
    const key = again.membership.groupKey(cast.national);
    const keyed = await again.check.checkKeyed(viewer, cast.national, [
      { type: 'iban', hash: keyedHash(key, 'DE89370400440532013000') },
    ]);
    assert.equal(keyed.matches.length, 1);
  }
});

// A hit is answered from memory when its alert's indicator ids are derived: the row's alert comes from
// the row owners, its id from (alert, type, value). Proved by counting the reads of the real rows
// reader the check service is given; alerts with older random ids still get their ids from the database.
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
      // The compact bulk answer reads those ids too, and puts them in place among the hits from memory.
      const items = [
        { type: 'domain', value: 'memory-one.example' },
        { type: 'domain', value: 'nothing-stored.example' },
        { type: 'domain', value: 'older-ids.example' },
        { type: 'domain', value: 'memory-one.example' },
      ];
      const full = await check.checkMany(telecom, items);
      const compact = await check.checkManyCompact(
        telecom,
        items.map((x) => x.type),
        items.map((x) => x.value),
      );
      assert.deepEqual(
        compact.hitIndex.map((i, k) => [
          i,
          compact.alerts[compact.hitAlert[k]!]!.alertId,
          compact.hitIndicator[k],
        ]),
        full.flatMap((r) => ('matches' in r ? r.matches.map((m) => [r.i, m.alertId, m.indicatorId]) : [])),
      );
      assert.deepEqual(compact.hitIndex, [0, 2, 3]);
      assert.equal(compact.hitIndicator[1], stored!.id);
      assert.equal(compact.matched, 3);
      assert.equal(reads.count, 3);
    } finally {
      await again.stop();
    }
  }
});
