import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../src/config.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.ts';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { startNode } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET, type TestNode } from '../helpers/test-node.ts';

// The directory, the legal-basis query and the node's log over HTTP: bad input (an unknown State,
// a malformed directory, a body that is not JSON, a body over the limit) gets a 4xx naming the
// field and writes nothing; every log line of a request carries its request id.
let node: TestNode;
const logLines: Record<string, unknown>[] = [];

before(async () => {
  const database = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
      done();
    },
  });
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'info',
  });
  const running = await startNode(config, {
    database,
    logger: createLogger('info', sink),
    createKeysIfMissing: true,
    beforeListen: async (ctx) => void (await seedDemo(ctx)),
  });
  const close = async () => {
    await running.close();
    await database.close();
  };
  node = { ...running, close, [Symbol.asyncDispose]: close };
});
after(() => node.close());

async function signedIn(username: string) {
  const api = client(node.url);
  assert.equal((await api.login(username, DEMO_PASSWORD)).status, 200);
  return api;
}

test('the directory and one Party are served, marked as demo data; an unknown State code is a clear 404', async () => {
  const api = await signedIn('duty');
  const directory = await api.get('/api/v1/directory');
  assert.equal(directory.status, 200);
  assert.equal(directory.body.demo, true);
  assert.ok(directory.body.document.parties.some((p: { code: string }) => p.code === 'FR'));
  const fr = await api.get('/api/v1/directory/parties/fr');
  assert.equal(fr.status, 200);
  assert.equal(fr.body.party.code, 'FR');
  assert.equal(fr.body.demo, true);
  const unknown = await api.get('/api/v1/directory/parties/ZZ');
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.match(unknown.body.detail, /ZZ/);
  const malformed = await api.get('/api/v1/directory/parties/F1');
  assert.equal(malformed.status, 400);
  assert.match(JSON.stringify(malformed.body.errors), /code/);
  assert.equal((await client(node.url).get('/api/v1/directory')).status, 401);
});

test('a malformed directory is refused whole, naming the field; nothing is stored', async () => {
  const admin = await signedIn('admin');
  const before = (await admin.get('/api/v1/directory')).body;
  const bad = structuredClone(buildDemoDirectory()) as unknown as { parties: Record<string, unknown>[] };
  bad.parties[0]!.code = 'XX';
  delete bad.parties[1]!.name;
  const refused = await admin.put('/api/v1/directory', bad);
  assert.equal(refused.status, 400, JSON.stringify(refused.body));
  assert.equal(refused.body.code, 'ERR_VALIDATION');
  const fields = refused.body.errors.map((e: { field: string }) => e.field).join(' ');
  assert.match(fields, /parties\/0\/code/);
  assert.match(fields, /parties\/1\/name/);
  const notJson = await admin.call('PUT', '/api/v1/directory', '{"parties": [', {
    'content-type': 'application/json',
  });
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.detail, /not valid JSON/);
  const huge = await admin.call(
    'PUT',
    '/api/v1/directory',
    JSON.stringify({ ...buildDemoDirectory(), padding: 'x'.repeat(10 * 1024 * 1024) }),
  );
  assert.equal(huge.status, 413);
  assert.match(huge.headers.get('content-type') ?? '', /application\/problem\+json/);
  const byDuty = await (await signedIn('duty')).put('/api/v1/directory', buildDemoDirectory());
  assert.equal(byDuty.status, 403);
  const after = (await admin.get('/api/v1/directory')).body;
  assert.equal(after.version, before.version);
  assert.equal(after.sha256, before.sha256);
  // The same document again is accepted and recognised as unchanged.
  const same = await admin.put('/api/v1/directory', before.document);
  assert.equal(same.status, 200, JSON.stringify(same.body));
  assert.equal(same.body.unchanged, true);
});

test('legal basis over HTTP: candidates with reasons; an unknown State, a bad date or type is a 400 naming the field', async () => {
  const api = await signedIn('lawyer');
  const ok = await api.get(
    '/api/v1/legal-basis?requesting=VN&requested=FR&date=2026-12-01&type=preservation&offences=ICT_THEFT_FRAUD',
  );
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.match(JSON.stringify(ok.body), /applies/);
  for (const [query, field] of [
    ['requesting=ZZ&requested=FR&date=2026-12-01&type=preservation', /requesting/],
    ['requesting=VN&requested=ZZ&date=2026-12-01&type=preservation', /requested/],
    ['requesting=VN&requested=FR&date=2026-13-45&type=preservation', /date/],
    ['requesting=VN&requested=FR&date=2026-12-01&type=telepathy', /type/],
    ['requesting=VN&requested=FR&date=2026-12-01&type=preservation&offences=JAYWALKING', /offences/],
    ['requesting=V1&requested=FR&date=2026-12-01&type=preservation', /requesting/],
  ] as const) {
    const reply = await api.get(`/api/v1/legal-basis?${query}`);
    assert.equal(reply.status, 400, `${query}: ${JSON.stringify(reply.body)}`);
    assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.match(JSON.stringify(reply.body.errors), field, query);
  }
});

test('every log line of a request carries its request id', async () => {
  const api = await signedIn('duty');
  await api.call('GET', '/api/v1/directory/parties/ZZ', undefined, { 'x-request-id': 'log-check-404' });
  await api.call('POST', '/api/v1/auth/login', '{"broken', {
    'content-type': 'application/json',
    'x-request-id': 'log-check-400',
  });
  await api.call('GET', '/healthz', undefined, { 'x-request-id': 'log-check-200' });
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !logLines.some((l) => l.requestId === 'log-check-200' && l.res)) {
    await new Promise((r) => setImmediate(r));
  }
  for (const id of ['log-check-404', 'log-check-400', 'log-check-200']) {
    const mine = logLines.filter((l) => l.requestId === id);
    assert.ok(
      mine.some((l) => l.req),
      `${id}: the incoming line`,
    );
    assert.ok(
      mine.some((l) => l.res),
      `${id}: the completed line`,
    );
  }
  // No line about a request goes without its id.
  const requestLines = logLines.filter((l) => l.req || l.res || l.reqId !== undefined);
  assert.ok(requestLines.length > 6);
  for (const line of requestLines) assert.equal(typeof line.requestId, 'string', JSON.stringify(line));
  // Secrets never reach the log.
  assert.ok(!JSON.stringify(logLines).includes(DEMO_PASSWORD));
});
