// The node of the evidence bench, in its own process so that its memory is its own: it starts with the
// demo data, makes an officer and an incoming request in execution, tells the parent (IPC) where to
// upload, and answers "rss" with its resident memory before and at its peak since the last ask.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import { buildRequest } from '../test/domain/requests/request-fixtures.ts';
import { benchDatabases } from './bench-database.ts';

const dir = await mkdtemp(join(tmpdir(), 'h247-bench-evidence-'));
const config = parseConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  HANOI247_KEY_SECRET: 'bench-key-secret-0123456789',
  HANOI247_LOG_LEVEL: 'silent',
  HANOI247_DATA_DIR: join(dir, 'data'),
  HANOI247_EVIDENCE_DIR: join(dir, 'evidence'),
  HANOI247_EVIDENCE_MAX_BYTES: String(2 ** 50),
});
// PostgreSQL when it answers: PGlite's queries (the node's timers) would run on the upload's core.
const databases = await benchDatabases();
const chosen = databases.at(-1)!;
for (const other of databases) if (other !== chosen) await other.dispose();
const node = await startNode(config, {
  database: chosen.database,
  logger: createLogger('silent'),
  createKeysIfMissing: true,
  beforeListen: async (ctx) => void (await seedDemo(ctx)),
});
const { user } = await node.ctx.users.addUser('bench', {
  username: 'bench-officer',
  password: 'bench-password-1',
  roles: ['DUTY_OFFICER', 'CENTRAL_AUTHORITY'],
});
const { token } = await node.ctx.auth.createToken(user.id, {
  name: 'bench',
  scopes: ['DUTY_OFFICER', 'CENTRAL_AUTHORITY'],
  ttlDays: 1,
});
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const created = await fetch(`${node.url}/api/v1/requests`, {
  method: 'POST',
  headers,
  body: JSON.stringify({
    type: 'MLA_STORED_DATA',
    ...buildRequest('MLA_STORED_DATA', {
      requestingState: 'FR',
      requestedState: 'VN',
      direction: 'INCOMING',
    }),
  }),
}).then((r) => r.json());
const requestId = created.request.id as string;
for (const action of ['acknowledge', 'start_execution'])
  await fetch(`${node.url}/api/v1/requests/${requestId}/transitions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ action }),
  });

let base = process.memoryUsage.rss();
let peak = base;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20).unref();
process.on('message', async (message: string) => {
  if (message === 'rss') {
    process.send!({ base, peak });
    base = process.memoryUsage.rss();
    peak = base;
  }
  if (message === 'stop') {
    await node.close();
    await chosen.dispose();
    await rm(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send!({ url: node.url, token, requestId, storage: chosen.name });
