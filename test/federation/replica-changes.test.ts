import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { openDatabase } from '../../src/store/database.ts';
import { auditEntries, federationOutbox } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { type Cast, castHub } from '../hub/hub-fixture.ts';
import { openSse } from '../hub/sse-client.ts';
import { eventually, linkNodes, type NetNode, startNetNode } from './federation-network.ts';

// Two replicas of the VN node (two node instances, each with its own pool, memory and streams) on
// one PostgreSQL database. What one commits, the other learns through PostgreSQL (LISTEN/NOTIFY
// and the replica_changes table): its hub index answers checks, its alert and request streams
// carry the change, once.
const skip = process.env.DATABASE_URL
  ? false
  : 'needs PostgreSQL: two replicas share one database, which embedded PGlite cannot (set DATABASE_URL)';
let vn1: NetNode;
let vn2: NetNode;
let fr: NetNode;
let cast: Cast;
// A replica stopped mid-send leaves its claims to lapse; the other must not give up on them meanwhile.
const patient = { retry: { baseMs: 50, maxMs: 400, maxAttempts: 10_000 }, batchSize: 8 };

before(async () => {
  if (skip) return;
  [vn1, fr] = await Promise.all([
    startNetNode({ state: 'VN', seed: true, federation: patient }),
    startNetNode({ state: 'FR' }),
  ]);
  const shared = Object.assign(await openDatabase({ databaseUrl: vn1.database.url, poolSize: 5 }), {
    url: vn1.database.url,
  });
  vn2 = await startNetNode({ state: 'VN', database: shared, clock: vn1.ctx.clock, federation: patient });
  await linkNodes([vn1, fr]);
  // Organisations, accounts and memberships made through replica 1 only.
  cast = await castHub(vn1 as unknown as Parameters<typeof castHub>[0]);
});
after(async () => {
  if (skip) return;
  await vn2?.destroy();
  await Promise.all([vn1?.destroy(), fr?.destroy()]);
});

/** A token for a new account made through replica 1 (tokens live in the shared database). */
async function tokenFor(username: string, role: 'INVESTIGATOR' | 'DUTY_OFFICER'): Promise<string> {
  const { user } = await vn1.ctx.users.addUser('test', {
    username,
    password: 'replica-test-pw-1',
    roles: [role],
  });
  return (await vn1.ctx.auth.createToken(user.id, { name: 'test', scopes: [role], ttlDays: 1 })).token;
}

const checkOn = async (node: NetNode, value: string) => {
  const viewer = node.ctx.hub.membership.viewerFor({
    userId: cast.users.bank.id,
    roles: ['PRIVATE_LIAISON'],
  });
  return (await node.ctx.hub.check.checkOne(viewer, 'domain', value)).matches.length;
};

test('an alert published, changed and revoked through either replica is answered and streamed by both', {
  skip,
}, async () => {
  // Membership made through replica 1 reaches replica 2: the bank user is in its organisation there.
  await eventually(
    async () => (vn2.ctx.hub.membership.findOrgByName('Outsider Platform') ? true : undefined),
    'replica 2 knows the organisation made through replica 1',
  );
  // Which nodes share a group, set through replica 1: replica 2 federates that group's alerts too.
  await vn1.ctx.hub.federation.setGroupNodes('test', cast.asean, { hub: 'VN', nodes: ['VN', 'FR'] });
  await eventually(
    async () => (vn2.ctx.hub.federation.nodesView(cast.asean).nodes.includes('FR') ? true : undefined),
    'replica 2 knows the nodes of the group',
  );
  const token = await cast.token('cert');
  const streams = [
    await openSse(`${vn1.url}/api/v1/hub/stream`, token),
    await openSse(`${vn2.url}/api/v1/hub/stream`, token),
  ];
  try {
    const first = 'mule-first.replica.example';
    const second = 'mule-second.replica.example';
    const published = await vn1.ctx.hub.alerts.publish(
      vn1.ctx.hub.membership.viewerFor({ userId: cast.users.bank.id, roles: ['PRIVATE_LIAISON'] }),
      {
        kind: 'scam_campaign',
        title: 'mule accounts seen on both replicas',
        confidence: 70,
        tlp: 'GREEN',
        groupId: cast.national,
        indicators: [{ type: 'domain', value: first }],
      },
    );
    const id = published.alert.id;
    await eventually(
      async () => ((await checkOn(vn2, first)) === 1 ? true : undefined),
      'replica 2 answers the value',
    );
    // Changed through replica 2: replica 1 follows.
    const viewer2 = vn2.ctx.hub.membership.viewerFor({
      userId: cast.users.bank.id,
      roles: ['PRIVATE_LIAISON'],
    });
    await vn2.ctx.hub.alerts.update(viewer2, id, {
      addIndicators: [{ type: 'domain', value: second }],
      removeIndicatorIds: [published.alert.indicators[0]!.id],
    });
    await eventually(
      async () =>
        (await checkOn(vn1, second)) === 1 && (await checkOn(vn1, first)) === 0 ? true : undefined,
      'replica 1 answers the new value and no longer the removed one',
    );
    await eventually(
      async () => (vn1.ctx.hub.alerts.meta(id)?.version === 2 ? true : undefined),
      'replica 1 holds version 2',
    );
    await vn1.ctx.hub.alerts.revoke(
      vn1.ctx.hub.membership.viewerFor({ userId: cast.users.bank.id, roles: ['PRIVATE_LIAISON'] }),
      id,
      'done',
    );
    await eventually(
      async () => ((await checkOn(vn2, second)) === 0 ? true : undefined),
      'replica 2 no longer answers',
    );
    for (const [n, stream] of streams.entries()) {
      await eventually(
        async () =>
          stream.events.some(({ event: e, data: d }) => e === 'alert.revoked' && d.alert.id === id)
            ? true
            : undefined,
        `stream of replica ${n + 1} carries the revocation`,
      );
      const mine = stream.events.filter(({ data }) => data.alert.id === id).map(({ event }) => event);
      assert.deepEqual(
        mine,
        ['alert.published', 'alert.updated', 'alert.revoked'],
        `replica ${n + 1}, each once`,
      );
    }
  } finally {
    for (const s of streams) await s.close();
  }
});

test('a request created through one replica and moved on through the other reaches both desks once', {
  skip,
}, async () => {
  const investigatorToken = await tokenFor('replica-investigator', 'INVESTIGATOR');
  const dutyToken = await tokenFor('replica-duty', 'DUTY_OFFICER');
  const streams = [
    await openSse(`${vn1.url}/api/v1/requests/events`, dutyToken),
    await openSse(`${vn2.url}/api/v1/requests/events`, dutyToken),
  ];
  try {
    const investigator = client(vn1.url);
    investigator.setToken(investigatorToken);
    const created = await investigator.post('/api/v1/requests', {
      type: 'PRESERVATION',
      ...buildRequest('PRESERVATION', { caseReference: 'VN-REPLICA-0001' }),
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.request.id as string;
    // The next step through replica 2, with the same token.
    const onReplica2 = client(vn2.url);
    onReplica2.setToken(investigatorToken);
    const submitted = await onReplica2.post(`/api/v1/requests/${id}/transitions`, { action: 'submit' });
    assert.equal(submitted.status, 200, submitted.text);
    for (const [n, stream] of streams.entries()) {
      await eventually(
        async () =>
          stream.events.some(({ event: e, data: d }) => e === 'request.changed' && d.request.id === id)
            ? true
            : undefined,
        `request stream of replica ${n + 1} carries the step`,
      );
      const mine = stream.events
        .filter(({ data }) => data.request.id === id)
        .map(({ event, data }) => `${event}:${data.action}`);
      assert.deepEqual(
        mine,
        ['request.created:create', 'request.changed:submit'],
        `replica ${n + 1}, each once`,
      );
    }
  } finally {
    for (const s of streams) await s.close();
  }
});

test('federation through both replicas, one stopped mid-flow: every message sent once, applied once, audit intact', {
  skip,
}, async () => {
  const queued = [
    ...(await vn1.ctx.federation.ping('test', 'FR', 100)).queued,
    ...(await vn2.ctx.federation.ping('test', 'FR', 100)).queued,
  ];
  await eventually(async () => {
    const [row] = await vn1.database.db
      .select({ n: sql<number>`count(*)` })
      .from(federationOutbox)
      .where(eq(federationOutbox.status, 'sent'));
    return Number(row!.n) > 0 ? true : undefined;
  }, 'sending started');
  await vn2.stop();
  await eventually(
    async () => {
      const [row] = await vn1.database.db
        .select({ n: sql<number>`count(*)` })
        .from(federationOutbox)
        .where(and(eq(federationOutbox.status, 'sent'), inArray(federationOutbox.id, queued)));
      return Number(row!.n) === queued.length ? true : undefined;
    },
    'every message sent',
    90_000,
  );
  const [received] = await fr.database.db
    .select({ n: sql<number>`count(*)`, d: sql<number>`count(DISTINCT ${auditEntries.objectId})` })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'federation.receive'), inArray(auditEntries.objectId, queued)));
  assert.equal(Number(received!.d), queued.length, 'every message applied');
  assert.equal(Number(received!.n), queued.length, 'none applied twice');
  const verified = await vn1.ctx.audit.verify();
  assert.equal(verified.ok, true, JSON.stringify(verified));
});
