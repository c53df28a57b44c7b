import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEMO_KEY_SECRET } from '../../src/demo/demo-network.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo.ts';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { eventually } from '../federation/federation-network.ts';
import { freePorts, type NodeProcess, spawnCli, waitReady } from '../federation/node-process.ts';
import { runInProcess } from '../helpers/cli-workspace.ts';
import { client } from '../helpers/http-client.ts';

// `npm start` as a newcomer runs it: the real `demo` command in its own process starts three
// nodes; a preservation request sent from VN really travels to FR; a second start reuses the data.
const work = mkdtempSync(join(tmpdir(), 'h247-demo-'));
let demo: NodeProcess | null = null;
after(async () => {
  await demo?.stop('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

async function signedIn(url: string, username: string) {
  const api = client(url);
  const reply = await api.login(username, DEMO_PASSWORD);
  assert.equal(reply.status, 200, `${username} at ${url}: ${reply.text}`);
  return api;
}

// Whatever DATABASE_URL says, the demo runs on PGlite (its environment goes without it, as `npm start`
// gives it), so the PostgreSQL run of the suite would only repeat the PGlite run's test. Its own
// time limit: two starts of three nodes take minutes on a loaded machine, more than most tests may.
const ONLY_PGLITE = process.env.DATABASE_URL
  ? 'the demo always runs on embedded PGlite: the run without DATABASE_URL tests it'
  : false;
const READY_MS = 240_000;
// What the nodes do in the background (federation, the hub's aggregate) waits its turn on such a machine.
const POLL_MS = 60_000;

test('the demo starts three nodes that send a request over federation, and a restart reuses the data', {
  skip: ONLY_PGLITE,
  timeout: 2 * READY_MS + 120_000,
}, async () => {
  const ports = await freePorts(3);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HANOI247_DATA_DIR: work,
    HANOI247_DEMO_PORTS: ports.join(','),
    HANOI247_LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  const [vnUrl, frUrl, sgUrl] = ports.map((p) => `http://127.0.0.1:${p}`) as [string, string, string];
  demo = spawnCli(['demo'], env);
  await waitReady([vnUrl, frUrl, sgUrl], [demo], READY_MS);
  await eventually(
    async () => (demo!.output().includes('stop with Ctrl+C') ? true : undefined),
    'the banner',
    POLL_MS,
  );
  for (const url of [vnUrl, frUrl, sgUrl]) assert.ok(demo.output().includes(`${url}/docs`), demo.output());
  assert.match(demo.output(), /approver\s+APPROVER/);
  assert.match(demo.output(), new RegExp(`password for all: ${DEMO_PASSWORD}`));

  // The per-request log goes to each node's file, not to the console that shows the banner.
  assert.doesNotMatch(demo.output(), /"requestId"/);
  assert.ok(existsSync(join(work, 'VN', 'node.log')));
  const duty = await signedIn(vnUrl, 'duty');
  // Example requests both ways, made through the services and federation: VN's own, and FR's arrived.
  const examples = await eventually(
    async () => {
      const page = (await duty.get('/api/v1/requests?limit=100')).body.items as {
        caseReference: string;
        status: string;
      }[];
      return page.some((r) => r.caseReference === 'DEMO-FR-001') ? page : undefined;
    },
    'the example requests at VN',
    POLL_MS,
  );
  const byCase = new Map(examples.map((r) => [r.caseReference, r.status]));
  assert.equal(byCase.get('DEMO-VN-001'), 'sent');
  assert.equal(byCase.get('DEMO-VN-003'), 'draft');
  assert.equal(byCase.get('DEMO-FR-001'), 'received');
  // Viet Nam's quarterly report is released (public page) and aggregated on ASEAN's hub (SG).
  const anonymous = client(vnUrl);
  const published = await eventually(
    async () => {
      const items = (await anonymous.get('/api/v1/public/reports')).body.items as {
        id: string;
        period: string;
      }[];
      return items.length > 0 ? items[0] : undefined;
    },
    "VN's released report",
    POLL_MS,
  );
  const reportFile = join(work, 'vn-report.json');
  writeFileSync(reportFile, (await anonymous.get(`/api/v1/public/reports/${published!.id}`)).text);
  const regional = await eventually(
    async () => {
      const reply = await client(sgUrl).get(`/api/v1/public/regional-reports/${published!.period}`);
      return reply.status === 200 ? reply.body.aggregate : undefined;
    },
    'the regional aggregate on SG',
    POLL_MS,
  );
  assert.deepEqual(
    regional.members.map((m: { node: string }) => m.node),
    ['VN'],
  );
  const created = await duty.post('/api/v1/requests', {
    type: 'PRESERVATION',
    ...buildRequest('PRESERVATION', { caseReference: 'VN-DEMO-0001' }),
  });
  assert.equal(created.status, 201, created.text);
  const id = created.body.request.id as string;
  assert.equal((await duty.post(`/api/v1/requests/${id}/transitions`, { action: 'submit' })).status, 200);
  const approver = await signedIn(vnUrl, 'approver');
  const approved = await approver.post(`/api/v1/requests/${id}/transitions`, { action: 'approve' });
  assert.equal(approved.status, 200, approved.text);
  const sent = await duty.post(`/api/v1/requests/${id}/transitions`, { action: 'send' });
  assert.equal(sent.status, 200, sent.text);

  const frDuty = await signedIn(frUrl, 'duty');
  const arrived = await eventually(
    async () => {
      const reply = await frDuty.get(`/api/v1/requests/${id}`);
      return reply.status === 200 ? reply.body : undefined;
    },
    'the request at FR',
    POLL_MS,
  );
  assert.equal(arrived.direction, 'INCOMING');
  assert.equal(arrived.status, 'received');
  assert.equal(arrived.requestingState, 'VN');
  const sgDuty = await signedIn(sgUrl, 'duty');
  assert.equal((await sgDuty.get(`/api/v1/requests/${id}`)).status, 404, 'SG was not sent it');
  const directoryBefore = (await frDuty.get('/api/v1/directory')).body.version;
  // The directory is signed by the demo network administrator: an unsigned one is refused.
  assert.match(demo.output(), /signed by the demo network administrator/);
  const frAdmin = await signedIn(frUrl, 'admin');
  const unsigned = await frAdmin.put('/api/v1/directory', buildDemoDirectory());
  assert.equal(unsigned.status, 400, unsigned.text);
  assert.equal(unsigned.body.code, 'ERR_DIRECTORY_UNSIGNED');

  assert.equal(await demo.stop('SIGTERM'), 0, demo.output());
  // France checks Viet Nam's report against VN's key in the directory France holds.
  const verified = await runInProcess(['report', 'verify', reportFile], {
    ...env,
    HANOI247_DATA_DIR: join(work, 'FR'),
    HANOI247_NODE_STATE: 'FR',
    HANOI247_KEY_SECRET: DEMO_KEY_SECRET,
  });
  assert.equal(verified.status, 0, verified.stderr + verified.stdout);
  assert.match(verified.stdout, new RegExp(`report valid: VN ${published!.period}`));
  demo = spawnCli(['demo'], env);
  await waitReady([vnUrl, frUrl, sgUrl], [demo], READY_MS);
  const frAgain = await signedIn(frUrl, 'duty');
  const kept = await frAgain.get(`/api/v1/requests/${id}`);
  assert.equal(kept.status, 200, 'the received request is still at FR');
  assert.equal(kept.body.status, 'received');
  assert.equal(
    (await frAgain.get('/api/v1/directory')).body.version,
    directoryBefore,
    'the same directory, not imported again',
  );
  const vnAgain = await signedIn(vnUrl, 'duty');
  const again = (await vnAgain.get('/api/v1/requests?limit=100')).body.items as { caseReference: string }[];
  assert.equal(
    again.filter((r) => r.caseReference.startsWith('DEMO-')).length,
    examples.filter((r) => r.caseReference.startsWith('DEMO-')).length,
    'the examples are not made again',
  );
  assert.equal((await vnAgain.get(`/api/v1/requests/${id}`)).body.status, 'sent');
});
