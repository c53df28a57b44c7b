import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import type { Role } from '../../src/domain/codes.ts';
import { type RunningNode, startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { DEMO_PASSWORD, TEST_KEY_SECRET } from '../helpers/test-node.ts';

// Timers are rows, not in-memory schedules: a node is stopped with deadlines and a preservation
// pending, its storage closed, and a new node on the same storage (a PGlite folder, or the same
// PostgreSQL database) fires them when the clock has moved 61 days on, each once.
const START = '2026-12-10T08:00:00Z';
const DAY = 86_400_000;
const clock = manualClock(START);
const work = mkdtempSync(join(tmpdir(), 'h247-restart-'));
let server: (Database & { url: string | null }) | null = null;

before(async () => {
  if (process.env.DATABASE_URL) server = await createTestDatabase();
});
after(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens the node's storage afresh, as a new process would. */
function openStorage(): Promise<Database> {
  return server
    ? openDatabase({ databaseUrl: server.url, poolSize: 3 })
    : openDatabase({ databaseUrl: null, dataDir: join(work, 'data') });
}

async function boot(): Promise<{ node: RunningNode; close(): Promise<void> }> {
  const database = await openStorage();
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'silent',
  });
  const node = await startNode(config, {
    database,
    clock,
    logger: createLogger('silent'),
    createKeysIfMissing: true,
    beforeListen: async (ctx) => void (await seedDemo(ctx)),
  });
  return {
    node,
    close: async () => {
      await node.close();
      await database.close();
    },
  };
}

test('deadline and preservation timers fire after a restart, each once', async () => {
  const first = await boot();
  const users: Record<string, RequestActor> = {};
  for (const u of await first.node.ctx.users.list(100, null))
    users[u.username] = { id: u.id, roles: u.roles as Role[] };
  const requests = first.node.ctx.requests;
  const incoming = (type: 'MLA_GENERAL' | 'PRESERVATION') =>
    requests.create(users.duty!, {
      type,
      direction: 'INCOMING',
      ...buildRequest(type, { requestingState: 'FR', requestedState: 'VN' }),
    });
  const { request: late } = await incoming('MLA_GENERAL');
  const { request: preserved } = await incoming('PRESERVATION');
  for (const action of ['acknowledge', 'start_execution', 'complete'])
    await requests.transition(users.duty!, preserved.id, { action });
  assert.equal(await requests.processDueTimers(), 0);
  await first.close();

  clock.set(new Date(Date.parse(START) + 61 * DAY));
  const second = await boot();
  try {
    // The acknowledge deadline (24 hours), three reminders and the expiry of the preservation.
    assert.equal(await second.node.ctx.requests.processDueTimers(), 5);
    assert.equal(await second.node.ctx.requests.processDueTimers(), 0);
    const duty = client(second.node.url);
    assert.equal((await duty.login('duty', DEMO_PASSWORD)).status, 200);
    const list = await duty.get('/api/v1/notifications');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const items = (list.body.items ?? list.body) as { requestId: string; message: string }[];
    const about = (id: string) => items.filter((n) => n.requestId === id).map((n) => n.message);
    assert.equal(about(late.id).length, 1);
    assert.match(about(late.id)[0]!, /Overdue/);
    const preservation = about(preserved.id);
    assert.equal(preservation.length, 4, JSON.stringify(preservation));
    assert.ok(preservation.some((m) => /has expired/.test(m)));
    // The same notices in the reader's language: asked for, or as the browser accepts.
    const french = await duty.get('/api/v1/notifications?lang=fr');
    const frLate = (french.body.items as { requestId: string; text: string; message: string }[]).find(
      (n) => n.requestId === late.id,
    )!;
    assert.match(frLate.text, /^En retard : /);
    assert.match(frLate.message, /^Overdue/, 'message stays English for scripts');
    const arabic = await duty.call('GET', '/api/v1/notifications', undefined, {
      'accept-language': 'ar,en;q=0.5',
    });
    assert.equal(arabic.body.items[0].language, 'ar');
    const shown = await second.node.ctx.requests.get(preserved.id);
    assert.equal(shown.preservation?.status, 'EXPIRED');
  } finally {
    await second.close();
    clock.set(START);
  }
});
