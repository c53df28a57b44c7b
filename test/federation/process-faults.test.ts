import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { buildDemoDirectory, type NodeEndpoint } from '../../src/domain/directory/index.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { auditEntries, federationInbox, federationOutbox } from '../../src/store/schema/index.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import { eventually } from './federation-network.ts';
import { freePorts, type NodeProcess, runCliAsync, spawnCli, waitReady } from './node-process.ts';

// Real node processes (`hanoi247 serve`) on loopback ports, each on its own storage (a PGlite
// folder, or a PostgreSQL database when DATABASE_URL is set), killed the hard way. What must hold:
// every queued message arrives, and the receiver applies each message id exactly once.
const MESSAGES = Number(process.env.FEDERATION_FAULT_MESSAGES ?? 1000);
const ADMIN_PASSWORD = 'fault-admin-password-1';
const work = mkdtempSync(join(tmpdir(), 'h247-faults-'));

type Side = {
  state: string;
  url: string;
  env: Record<string, string>;
  process: NodeProcess | null;
  /** The PostgreSQL database (DATABASE_URL runs); PGlite folders are opened only while the node is down. */
  pg: (Database & { url: string | null }) | null;
};
let vn: Side;
let fr: Side;

const FAST = {
  HANOI247_FEDERATION_RETRY_BASE_MS: '100',
  HANOI247_FEDERATION_RETRY_MAX_MS: '1000',
  HANOI247_FEDERATION_MAX_ATTEMPTS: '100000',
  HANOI247_FEDERATION_POLL_MS: '100',
  // A killed sender's claims lapse after this long; another start then sends them.
  HANOI247_FEDERATION_LEASE_MS: '3000',
  HANOI247_FEDERATION_TIMEOUT_MS: '5000',
};

async function side(state: string, port: number): Promise<Side> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...FAST,
    HOST: '127.0.0.1',
    PORT: String(port),
    HANOI247_NODE_STATE: state,
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'warn',
    HANOI247_DATA_DIR: join(work, state),
  };
  let pg: Side['pg'] = null;
  if (process.env.DATABASE_URL) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else delete env.DATABASE_URL;
  return { state, url: `http://127.0.0.1:${port}`, env, process: null, pg };
}

before(async () => {
  const [vnPort, frPort] = (await freePorts(2)) as [number, number];
  [vn, fr] = await Promise.all([side('VN', vnPort), side('FR', frPort)]);
  // As an operator sets up two nodes: keys and an administrator, each node's directory entry,
  // one directory listing both, imported into each.
  const directory = buildDemoDirectory();
  await Promise.all(
    [vn, fr].map(async (s) => {
      await runCliAsync(['init'], { ...s.env, HANOI247_NEW_PASSWORD: ADMIN_PASSWORD });
      const entry = JSON.parse(await runCliAsync(['keys', 'entry', '--url', s.url], s.env)) as NodeEndpoint;
      const point = directory.parties
        .find((p) => p.code === s.state)!
        .authorities.find((a) => a.kind === 'POINT_24_7')!;
      point.node = entry;
    }),
  );
  const file = join(work, 'directory.json');
  writeFileSync(file, JSON.stringify(directory));
  await Promise.all([vn, fr].map((s) => runCliAsync(['directory', 'import', file], s.env)));
});

after(async () => {
  await Promise.all([vn, fr].map((s) => s?.process?.stop('SIGKILL')));
  await Promise.all([vn, fr].map((s) => s?.pg?.close()));
  rmSync(work, { recursive: true, force: true });
});

const trace = (what: string) => {
  if (process.env.FAULT_TRACE) console.log(new Date().toISOString(), what);
};

async function start(s: Side): Promise<void> {
  trace(`start ${s.state}`);
  s.process = spawnCli(['serve'], s.env);
  await waitReady([s.url], [s.process], 60_000);
  trace(`${s.state} ready`);
}

async function kill(s: Side): Promise<void> {
  await s.process?.stop('SIGKILL');
  s.process = null;
}

async function stop(s: Side): Promise<void> {
  if (!s.process) return;
  const code = await s.process.stop('SIGTERM');
  assert.equal(code, 0, s.process.output());
  s.process = null;
}

// One session per node (sessions live in its database, so they outlast a restart): signing in
// costs an Argon2 hash, too much to do at every poll.
const sessions = new Map<string, ReturnType<typeof client>>();
async function admin(s: Side) {
  let api = sessions.get(s.state);
  if (!api) {
    api = client(s.url);
    const reply = await api.login('admin', ADMIN_PASSWORD);
    assert.equal(reply.status, 200, reply.text);
    sessions.set(s.state, api);
  }
  return api;
}

type Summary = {
  outbox: { pending: number; sent: number; dead: number; failing: number };
  inbox: { received: number };
};
async function summary(s: Side): Promise<Summary> {
  const reply = await (await admin(s)).get('/api/v1/federation/summary');
  assert.equal(reply.status, 200, reply.text);
  return reply.body;
}

async function queuePings(count: number): Promise<string[]> {
  const api = await admin(vn);
  const ids: string[] = [];
  // At most 1,000 per call; one call per 500 keeps each transaction short.
  for (let left = count; left > 0; left -= 500) {
    const reply = await api.post('/api/v1/federation/ping', { to: 'FR', count: Math.min(500, left) });
    assert.equal(reply.status, 200, reply.text);
    ids.push(...reply.body.queued);
  }
  return ids;
}

async function allSent(timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  try {
    await eventually(
      async () => {
        const s = await summary(vn);
        if (process.env.FAULT_TRACE && Math.random() < 0.1)
          console.log(Date.now() - started, JSON.stringify(s));
        assert.equal(s.outbox.dead, 0, 'no dead letters');
        return s.outbox.pending === 0 ? true : undefined;
      },
      'every queued message sent',
      timeoutMs,
    );
  } catch (error) {
    // A stalled queue names why: the last error of what is still pending, and of any dead letter.
    const api = await admin(vn);
    const stuck = await Promise.all(
      ['pending', 'dead'].map(async (status) => {
        const reply = await api.get(`/api/v1/federation/outbox?status=${status}&limit=5`);
        return (reply.body.items ?? []).map(
          (m: { id: string; attempts: number; lastErrorCode: string; lastError: string }) =>
            `${status} ${m.id} after ${m.attempts} attempts: ${m.lastErrorCode} ${m.lastError}`,
        );
      }),
    );
    throw new Error(`${(error as Error).message}\n${stuck.flat().join('\n')}`);
  }
}

/** With both nodes down (PGlite is one process's), or live (PostgreSQL): what each side stored. */
async function withDb<T>(s: Side, fn: (db: Database['db']) => Promise<T>): Promise<T> {
  if (s.pg) return fn(s.pg.db);
  const database = await openDatabase({ databaseUrl: null, dataDir: s.env.HANOI247_DATA_DIR! });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

/** Zero lost, zero twice: every id sent with a receipt, in the receiver's inbox once, applied once. */
async function assertExactlyOnce(ids: string[]): Promise<void> {
  trace('checking');
  const chunks = (list: string[]) =>
    Array.from({ length: Math.ceil(list.length / 250) }, (_, i) => list.slice(i * 250, i * 250 + 250));
  let sent = 0;
  await withDb(vn, async (db) => {
    for (const part of chunks(ids)) {
      const rows = await db
        .select({ status: federationOutbox.status, receipt: federationOutbox.receipt })
        .from(federationOutbox)
        .where(inArray(federationOutbox.id, part));
      sent += rows.filter((r) => r.status === 'sent' && r.receipt).length;
    }
  });
  assert.equal(sent, ids.length, 'every message sent, with a receipt');
  await withDb(fr, async (db) => {
    let inbox = 0;
    let applied = 0;
    let distinct = 0;
    for (const part of chunks(ids)) {
      const [row] = await db
        .select({ n: sql<number>`count(*)` })
        .from(federationInbox)
        .where(inArray(federationInbox.messageId, part));
      inbox += Number(row!.n);
      const [audit] = await db
        .select({ n: sql<number>`count(*)`, d: sql<number>`count(DISTINCT ${auditEntries.objectId})` })
        .from(auditEntries)
        .where(and(eq(auditEntries.action, 'federation.receive'), inArray(auditEntries.objectId, part)));
      applied += Number(audit!.n);
      distinct += Number(audit!.d);
    }
    assert.equal(inbox, ids.length, 'every message in the inbox, once');
    assert.equal(distinct, ids.length, 'every message applied');
    assert.equal(applied, ids.length, 'no message applied twice');
  });
  trace('checked');
}

test(`the receiver is down while ${MESSAGES} messages are queued, then starts: all arrive, each once`, async () => {
  await start(vn);
  const ids = await queuePings(MESSAGES);
  trace('queued');
  assert.equal(ids.length, MESSAGES);
  // The sender tries, cannot connect, and backs off: the messages stay queued.
  await eventually(
    async () => ((await summary(vn)).outbox.failing > 0 ? true : undefined),
    'a failed attempt',
  );
  await start(fr);
  await allSent();
  await Promise.all([stop(vn), stop(fr)]);
  await assertExactlyOnce(ids);
});

test('the sender is killed mid-batch and restarted: it resumes, nothing lost, nothing doubled', async () => {
  await Promise.all([start(vn), start(fr)]);
  const before = (await summary(fr)).inbox.received;
  const ids = await queuePings(MESSAGES);
  await eventually(
    async () => ((await summary(fr)).inbox.received >= before + MESSAGES / 5 ? true : undefined),
    'a fifth of the messages received',
  );
  await kill(vn);
  const midway = (await summary(fr)).inbox.received - before;
  assert.ok(midway < MESSAGES, `killed mid-batch (${midway} of ${MESSAGES} received)`);
  await start(vn);
  await allSent();
  await Promise.all([stop(vn), stop(fr)]);
  await assertExactlyOnce(ids);
});

test(`random kills of sender and receiver during ${MESSAGES} messages: zero lost, zero processed twice`, async () => {
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
  let state = seed;
  // A small seeded generator: a failure names the seed that reproduces it.
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  await Promise.all([start(vn), start(fr)]);
  const before = (await summary(fr)).inbox.received;
  const ids = await queuePings(MESSAGES);
  const kills: string[] = [];
  for (let i = 0; i < 3; i++) {
    // Kills follow progress, not the clock (delivery speed varies): the i-th strikes at a random
    // point between 20-40 %, 40-60 % and 60-80 % of the messages received.
    const target = before + Math.floor((MESSAGES * (i + 1 + random())) / 5);
    await eventually(
      async () => ((await withTimeout(summary(fr))).inbox.received >= target ? true : undefined),
      `${target - before} of the messages received`,
      60_000,
    );
    if ((await withTimeout(summary(vn))).outbox.pending === 0) break;
    let victim = random() < 0.5 ? vn : fr;
    // The last kill makes sure both sides went down at least once.
    if (i === 2 && kills.every((k) => k === victim.state)) victim = victim === vn ? fr : vn;
    kills.push(victim.state);
    await kill(victim);
    await start(victim);
  }
  await allSent();
  await Promise.all([stop(vn), stop(fr)]);
  await assertExactlyOnce(ids).catch((error: Error) => {
    throw new Error(`seed ${seed}, kills ${kills.join(',')}: ${error.message}`);
  });
  assert.ok(kills.length > 0, `at least one kill happened during the batch (seed ${seed})`);
});

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('no answer in 10 s')), 10_000)),
  ]);
}
