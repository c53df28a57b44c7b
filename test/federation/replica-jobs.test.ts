import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { deriveAuditSealKey, enableAuditSeal } from '../../src/audit/audit-seal.ts';
import { EXPIRY_JOB } from '../../src/hub/alerts/expire-alert.ts';
import { createMembership } from '../../src/hub/membership.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { type Database, rowsOf } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { startLoopbackServer } from '../helpers/loopback-server.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import { openSse } from '../hub/sse-client.ts';
import { eventually } from './federation-network.ts';
import { freePorts, type NodeProcess, runCli, runCliAsync, spawnCli, waitReady } from './node-process.ts';
import { REPLICAS_SKIP, replicaEnv } from './replica-env.ts';

// Two `hanoi247 serve` processes of one node on one PostgreSQL database: what one replica counts or
// does, the other must not count apart or do again. Sign-in throttling is counted in the database, and
// the hub's expiry sweep, which both replicas run, calls the webhooks once (a claim in job_claims).
// On PGlite a node is one process: there are no replicas to share anything with.
const skip = REPLICAS_SKIP;
const PASSWORD = 'replica-jobs-password-1';
const work = mkdtempSync(join(tmpdir(), 'h247-replica-jobs-'));
let vnDb: Database & { url: string | null };
const env: Record<string, Record<string, string>> = {};
const url: Record<string, string> = {};
const running: NodeProcess[] = [];

before(async () => {
  if (skip) return;
  const [a, b] = (await freePorts(2)) as [number, number];
  vnDb = await createTestDatabase();
  const base = (port: number) => ({
    ...replicaEnv(port, vnDb.url!, work),
    HANOI247_LOGIN_MAX_ATTEMPTS: '3',
    HANOI247_HUB_SWEEP_SECONDS: '1',
  });
  env.A = base(a);
  env.B = base(b);
  url.A = `http://127.0.0.1:${a}`;
  url.B = `http://127.0.0.1:${b}`;
  await runCliAsync(['init'], { ...env.A!, HANOI247_NEW_PASSWORD: PASSWORD });
  runCli(['user', 'add', 'liaison', '--roles', 'PRIVATE_LIAISON'], {
    ...env.A!,
    HANOI247_NEW_PASSWORD: PASSWORD,
  });
  running.push(spawnCli(['serve'], env.A!), spawnCli(['serve'], env.B!));
  await waitReady([url.A!, url.B!], running, 120_000);
});

after(async () => {
  if (skip) return;
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await vnDb?.close();
  rmSync(work, { recursive: true, force: true });
});

async function signIn(name: string, username: string) {
  const api = client(url[name]!);
  const reply = await api.login(username, PASSWORD);
  assert.equal(reply.status, 200, reply.text);
  return api;
}

test('sign-in failures counted on one replica count on the other', { skip }, async () => {
  // HANOI247_LOGIN_MAX_ATTEMPTS=3: two failures on A and one on B lock this address out of the name.
  const attempt = (name: string) => client(url[name]!).login('shared-count', 'not-the-password');
  assert.equal((await attempt('A')).status, 401);
  assert.equal((await attempt('A')).status, 401);
  assert.equal((await attempt('B')).status, 401);
  const next = await attempt('A');
  assert.equal(next.status, 429, 'the third failure, made on B, locked this address out on A too');
  assert.equal(next.body.code, 'ERR_RATE_LIMITED');
  assert.equal((await attempt('B')).status, 429);
  const stored = rowsOf<{ n: number }>(
    await vnDb.db.execute(sql`SELECT count(*)::int AS n FROM login_throttle`),
  );
  assert.ok(stored[0]!.n >= 2, 'the counters are rows of the shared database');
});

test('an alert expiring is told to the webhook once, while both replicas stream it', { skip }, async () => {
  // Membership written by this test as a third process, with the node's key secret (the log is sealed).
  enableAuditSeal(vnDb.db, deriveAuditSealKey(TEST_KEY_SECRET));
  const membership = await createMembership(vnDb, systemClock);
  const org = await membership.createOrg('test', { name: 'Expiry Bank', kind: 'bank', country: 'VN' });
  await membership.addMember('test', org.id, 'liaison');
  const group = await membership.createGroup('test', { name: 'Expiry group', kind: 'national' });
  await membership.addGroupMember('test', group.id, org.id);
  const liaison = { A: await signIn('A', 'liaison'), B: await signIn('B', 'liaison') };
  await eventually(async () => {
    const me = await liaison.B.get('/api/v1/hub/me');
    return me.body?.org?.id === org.id ? true : undefined;
  }, 'replica B knows the new membership');

  const received: { event: string; alert: string }[] = [];
  const hooks = await startLoopbackServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const payload = JSON.parse(body) as { event: string; alert: { id: string } };
      received.push({ event: payload.event, alert: payload.alert.id });
      res.end('ok');
    });
  });
  const admin = await signIn('A', 'admin');
  const hook = await admin.post('/api/v1/hub/webhooks', { username: 'liaison', url: `${hooks.base}/hook` });
  assert.equal(hook.status, 201, hook.text);
  const adminB = await signIn('B', 'admin');
  await eventually(
    async () => ((await adminB.get('/api/v1/hub/webhooks')).body.items.length === 1 ? true : undefined),
    'replica B knows the webhook',
  );
  const { token } = (
    await liaison.A.post('/api/v1/auth/tokens', { name: 'streams', scopes: ['PRIVATE_LIAISON'], ttlDays: 1 })
  ).body as { token: string };
  const streams = {
    A: await openSse(`${url.A}/api/v1/hub/stream`, token),
    B: await openSse(`${url.B}/api/v1/hub/stream`, token),
  };
  try {
    const publish = (api: typeof liaison.A, title: string, validUntil?: string) =>
      api.post('/api/v1/hub/alerts', {
        kind: 'scam_campaign',
        title,
        confidence: 60,
        tlp: 'GREEN',
        groupId: group.id,
        indicators: [{ type: 'domain', value: `${title.replaceAll(' ', '-')}.example` }],
        ...(validUntil ? { validUntil } : {}),
      });
    const expiring = await publish(liaison.A, 'expiring soon', new Date(Date.now() + 3000).toISOString());
    assert.equal(expiring.status, 201, expiring.text);
    const id = expiring.body.alert.id as string;
    // Both replicas sweep every second: each one's stream carries the expiry.
    for (const [name, stream] of Object.entries(streams))
      await eventually(
        async () =>
          stream.events.some(({ event: e, data: d }) => e === 'alert.expired' && d.alert.id === id)
            ? true
            : undefined,
        `the stream of replica ${name} carries the expiry`,
        60_000,
      );
    // Both sweeps are done. Deliveries go out in the order events happen on a replica, so once an
    // alert published after them through each replica has reached the webhook, so would a duplicate.
    const later = [await publish(liaison.A, 'after on a'), await publish(liaison.B, 'after on b')];
    for (const reply of later) assert.equal(reply.status, 201, reply.text);
    const laterIds = later.map((r) => r.body.alert.id as string);
    await eventually(
      async () =>
        laterIds.every((l) => received.some((r) => r.alert === l && r.event === 'alert.published'))
          ? true
          : undefined,
      'the webhook hears both later alerts',
      60_000,
    );
    assert.deepEqual(
      received.filter((r) => r.alert === id).map((r) => r.event),
      ['alert.published', 'alert.expired'],
      'the webhook heard the publication and the expiry once each',
    );
    const claims = rowsOf<{ n: number }>(
      await vnDb.db.execute(
        sql`SELECT count(*)::int AS n FROM job_claims WHERE job = ${EXPIRY_JOB} AND key LIKE ${`${id}@%`}`,
      ),
    );
    assert.equal(claims[0]!.n, 1);
  } finally {
    await Promise.all(Object.values(streams).map((s) => s.close()));
    await hooks.close();
  }
});
