// The node of the evidence bench, in its own process so that its memory is its own: it starts with the
// demo data, makes an officer and an incoming request in execution, tells the parent (IPC) where to
// upload, and answers "rss" with its resident memory before and at its peak since the last ask, and
// the CPU time it used since then.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
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

// BENCH_CPU_PROF=FILE: a V8 CPU profile of the node during the upload alone (from the first "rss" to
// the second), to open in Chrome's DevTools.
const profileFile = process.env.BENCH_CPU_PROF;
const inspector = profileFile ? new Session() : null;
inspector?.connect();
let profiling = false;

let base = process.memoryUsage.rss();
let peak = base;
// CPU time (all threads, user + system) since the last ask: on a loaded machine a steadier measure
// than the wall clock.
let cpu = process.cpuUsage();
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20).unref();
process.on('message', async (message: string) => {
  if (message === 'rss') {
    if (inspector && !profiling) {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      profiling = true;
    } else if (inspector && profiling) {
      const { profile } = await inspector.post('Profiler.stop');
      await writeFile(profileFile!, JSON.stringify(profile));
      profiling = false;
    }
    const used = process.cpuUsage(cpu);
    process.send!({ base, peak, cpuMs: (used.user + used.system) / 1000 });
    base = process.memoryUsage.rss();
    peak = base;
    cpu = process.cpuUsage();
  }
  if (message === 'cpu') {
    const used = process.cpuUsage(cpu);
    process.send!({ cpuMs: (used.user + used.system) / 1000 });
    cpu = process.cpuUsage();
  }
  if (message === 'stop') {
    drain.close();
    await node.close();
    await chosen.dispose();
    await rm(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
// The transport alone, for a ceiling: a bare HTTP server in this same process that reads a PATCH body
// and throws it away (no hashing, no encryption, no disk), answering as tus does.
const drain = createServer(async (request, response) => {
  let bytes = 0;
  for await (const piece of request) bytes += (piece as Buffer).length;
  response.writeHead(204, { 'upload-offset': String(bytes) }).end();
});
await new Promise<void>((resolve) => drain.listen(0, '127.0.0.1', resolve));
const drainUrl = `http://127.0.0.1:${(drain.address() as { port: number }).port}`;
process.send!({ url: node.url, drainUrl, token, requestId, storage: chosen.name });
