import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { deriveAuditSealKey, enableAuditSeal } from '../../src/audit/audit-seal.ts';
import { buildDemoDirectory, type NodeEndpoint } from '../../src/domain/directory/index.ts';
import { createMembership } from '../../src/hub/membership.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { Database } from '../../src/store/database.ts';
import { auditEntries, federationInbox, federationOutbox } from '../../src/store/schema/index.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import { openSse } from '../hub/sse-client.ts';
import { eventually } from './federation-network.ts';
import { freePorts, type NodeProcess, runCli, runCliAsync, spawnCli, waitReady } from './node-process.ts';

// Two `hanoi247 serve` processes of the VN node on one PostgreSQL database, and FR. Membership
// written by a third process, alerts published and revoked through either replica, checked and
// streamed by both; federation through both, one replica killed the hard way mid-flow: every
// message sent once and applied once, the audit log intact.
const skip = process.env.DATABASE_URL ? false : 'needs PostgreSQL: replicas share one database';
const PASSWORD = 'replica-process-pw-1';
const MESSAGES = 300;
const work = mkdtempSync(join(tmpdir(), 'h247-replicas-'));
let vnDb: Database & { url: string | null };
let frDb: Database & { url: string | null };
const env: Record<string, Record<string, string>> = {};
const url: Record<string, string> = {};
const running: Record<string, NodeProcess> = {};

before(async () => {
  if (skip) return;
  const [a, b, f] = (await freePorts(3)) as [number, number, number];
  [vnDb, frDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const base = (state: string, port: number, database: string) => ({
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: database,
    HANOI247_NODE_STATE: state,
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'warn',
    HANOI247_DATA_DIR: join(work, `${state}-${port}`),
    HANOI247_FEDERATION_RETRY_BASE_MS: '100',
    HANOI247_FEDERATION_RETRY_MAX_MS: '1000',
    HANOI247_FEDERATION_POLL_MS: '100',
    // A killed replica's claims lapse after this long; the other replica then sends them.
    HANOI247_FEDERATION_LEASE_MS: '3000',
    HANOI247_FEDERATION_TIMEOUT_MS: '5000',
    HANOI247_FEDERATION_BATCH_SIZE: '8',
  });
  env.A = base('VN', a, vnDb.url!);
  env.B = base('VN', b, vnDb.url!);
  env.FR = base('FR', f, frDb.url!);
  for (const [name, port] of [
    ['A', a],
    ['B', b],
    ['FR', f],
  ] as const)
    url[name] = `http://127.0.0.1:${port}`;
  await Promise.all([
    runCliAsync(['init'], { ...env.A!, HANOI247_NEW_PASSWORD: PASSWORD }),
    runCliAsync(['init'], { ...env.FR!, HANOI247_NEW_PASSWORD: PASSWORD }),
  ]);
  runCli(['user', 'add', 'liaison', '--roles', 'PRIVATE_LIAISON'], {
    ...env.A!,
    HANOI247_NEW_PASSWORD: PASSWORD,
  });
  const directory = buildDemoDirectory();
  for (const [state, name] of [
    ['VN', 'A'],
    ['FR', 'FR'],
  ] as const) {
    const entry = JSON.parse(await runCliAsync(['keys', 'entry', '--url', url[name]!], env[name]!));
    directory.parties.find((p) => p.code === state)!.authorities.find((x) => x.kind === 'POINT_24_7')!.node =
      entry as NodeEndpoint;
  }
  const file = join(work, 'directory.json');
  writeFileSync(file, JSON.stringify(directory));
  await Promise.all(['A', 'FR'].map((n) => runCliAsync(['directory', 'import', file], env[n]!)));
  for (const name of ['A', 'B', 'FR']) running[name] = spawnCli(['serve'], env[name]!);
  await waitReady(Object.values(url), Object.values(running), 120_000);
});

after(async () => {
  if (skip) return;
  await Promise.all(Object.values(running).map((p) => p.stop('SIGKILL')));
  await Promise.all([vnDb?.close(), frDb?.close()]);
  rmSync(work, { recursive: true, force: true });
});

async function signIn(name: string, username: string) {
  const api = client(url[name]!);
  const reply = await api.login(username, PASSWORD);
  assert.equal(reply.status, 200, reply.text);
  return api;
}

test('two serve processes of one node: alerts through either, then one killed mid-federation', {
  skip,
}, async () => {
  // Membership written by a third process (this test, on the database): both replicas read it again.
  // It holds the node's key secret, as any process that writes the sealed audit log must.
  enableAuditSeal(vnDb.db, deriveAuditSealKey(TEST_KEY_SECRET));
  const membership = await createMembership(vnDb, systemClock);
  const org = await membership.createOrg('test', { name: 'Replica Bank', kind: 'bank', country: 'VN' });
  await membership.addMember('test', org.id, 'liaison');
  const group = await membership.createGroup('test', { name: 'Replica group', kind: 'national' });
  await membership.addGroupMember('test', group.id, org.id);
  const liaison = { A: await signIn('A', 'liaison'), B: await signIn('B', 'liaison') };
  await eventually(async () => {
    const me = await liaison.B.get('/api/v1/hub/me');
    return me.body?.org?.id === org.id ? true : undefined;
  }, 'replica B knows the new membership');
  const { token } = (
    await liaison.A.post('/api/v1/auth/tokens', { name: 'streams', scopes: ['PRIVATE_LIAISON'], ttlDays: 1 })
  ).body as { token: string };
  const hubStreams = {
    A: await openSse(`${url.A}/api/v1/hub/stream`, token),
    B: await openSse(`${url.B}/api/v1/hub/stream`, token),
  };
  try {
    const value = 'replica-process.example';
    const published = await liaison.A.post('/api/v1/hub/alerts', {
      kind: 'scam_campaign',
      title: 'seen through two replicas',
      confidence: 60,
      tlp: 'GREEN',
      groupId: group.id,
      indicators: [{ type: 'domain', value }],
    });
    assert.equal(published.status, 201, published.text);
    const id = published.body.alert.id as string;
    const matches = async (name: 'A' | 'B') =>
      ((await liaison[name].get(`/api/v1/hub/check?type=domain&value=${value}`)).body.matches ?? []).length;
    await eventually(
      async () => ((await matches('B')) === 1 ? true : undefined),
      'replica B answers the value',
    );
    const revoked = await liaison.B.post(`/api/v1/hub/alerts/${id}/revoke`, { reason: 'test' });
    assert.equal(revoked.status, 200, revoked.text);
    await eventually(
      async () => ((await matches('A')) === 0 ? true : undefined),
      'replica A no longer answers',
    );
    for (const [name, stream] of Object.entries(hubStreams)) {
      await eventually(
        async () =>
          stream.events.some(({ event: e, data: d }) => e === 'alert.revoked' && d.alert.id === id)
            ? true
            : undefined,
        `the stream of replica ${name} carries the revocation`,
      );
      assert.deepEqual(
        stream.events.filter(({ data }) => data.alert.id === id).map(({ event }) => event),
        ['alert.published', 'alert.revoked'],
        `replica ${name}: each event once`,
      );
    }
  } finally {
    await Promise.all(Object.values(hubStreams).map((s) => s.close()));
  }

  // Federation through both replicas; A is killed while the messages travel.
  const admin = { A: await signIn('A', 'admin'), B: await signIn('B', 'admin') };
  const ids: string[] = [];
  for (const name of ['A', 'B'] as const) {
    const reply = await admin[name].post('/api/v1/federation/ping', { to: 'FR', count: MESSAGES / 2 });
    assert.equal(reply.status, 200, reply.text);
    ids.push(...reply.body.queued);
  }
  const received = async () => {
    const [row] = await frDb.db.select({ n: sql<number>`count(*)` }).from(federationInbox);
    return Number(row!.n);
  };
  await eventually(
    async () => ((await received()) >= MESSAGES / 5 ? true : undefined),
    'a fifth received',
    60_000,
  );
  await running.A!.stop('SIGKILL');
  assert.ok((await received()) < MESSAGES, 'killed mid-flow');
  await eventually(
    async () => {
      const [row] = await vnDb.db
        .select({ n: sql<number>`count(*)` })
        .from(federationOutbox)
        .where(eq(federationOutbox.status, 'sent'));
      return Number(row!.n) === MESSAGES ? true : undefined;
    },
    'replica B sent every message, those replica A had claimed too',
    120_000,
  );
  const [applied] = await frDb.db
    .select({ n: sql<number>`count(*)`, d: sql<number>`count(DISTINCT ${auditEntries.objectId})` })
    .from(auditEntries)
    .where(eq(auditEntries.action, 'federation.receive'));
  assert.equal(Number(applied!.d), MESSAGES, 'every message applied');
  assert.equal(Number(applied!.n), MESSAGES, 'none applied twice');
  const [dead] = await vnDb.db
    .select({ n: sql<number>`count(*)` })
    .from(federationOutbox)
    .where(eq(federationOutbox.status, 'dead'));
  assert.equal(Number(dead!.n), 0);
  // The audit log of the node both replicas wrote is intact.
  runCli(['audit', 'verify'], env.B!);
});
