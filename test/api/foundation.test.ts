import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

let node: TestNode;
before(async () => {
  node = await startTestNode();
});
after(() => node.close());

test('health, readiness and metrics answer', async () => {
  const api = client(node.url);
  assert.deepEqual((await api.get('/healthz')).body, { status: 'ok' });
  const ready = await api.get('/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.body.status, 'ready');
  assert.equal(ready.body.storage, process.env.DATABASE_URL ? 'postgres' : 'pglite');
  const metrics = await api.get('/metrics');
  assert.match(metrics.text, /hanoi247_http_requests_total/);
});

test('OpenAPI is served at /docs/json and lists the roles of each route', async () => {
  const api = client(node.url);
  const spec = (await api.get('/docs/json')).body;
  assert.equal(spec.openapi, '3.1.0');
  assert.ok(spec.paths['/api/v1/auth/login'].post);
  assert.deepEqual(spec.paths['/api/v1/users'].get['x-roles'], ['ADMIN']);
  const page = await api.get('/docs');
  assert.ok(page.status === 200 || page.status === 302);
});

test('every answer carries a request id', async () => {
  const reply = await client(node.url).call('GET', '/healthz', undefined, { 'x-request-id': 'test-req-1' });
  assert.equal(reply.headers.get('x-request-id'), 'test-req-1');
});

test('bad input gets problem+json naming the field', async () => {
  const api = client(node.url);
  const missing = await api.post('/api/v1/auth/login', { username: 'duty' });
  assert.equal(missing.status, 400);
  assert.match(missing.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(missing.body.code, 'ERR_VALIDATION');
  assert.deepEqual(missing.body.errors[0], { field: 'body/password', message: 'is required' });

  const notJson = await api.call('POST', '/api/v1/auth/login', '{"username": "duty", ', {
    'content-type': 'application/json',
  });
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.detail, /not valid JSON/);

  const huge = await api.call(
    'POST',
    '/api/v1/auth/login',
    JSON.stringify({ username: 'x'.repeat(10 * 1024 * 1024), password: 'p' }),
  );
  assert.equal(huge.status, 413);
  assert.equal(huge.body.status, 413);

  const wrongType = await api.call('POST', '/api/v1/auth/login', 'username=duty', {
    'content-type': 'text/plain',
  });
  assert.equal(wrongType.status, 415);

  const unknownRoute = await api.get('/api/v1/nothing-here');
  assert.equal(unknownRoute.status, 404);
  assert.equal(unknownRoute.body.code, 'ERR_NO_ROUTE');
});

test('the node still works after bad input (nothing half-written)', async () => {
  const api = client(node.url);
  const login = await api.login('duty', DEMO_PASSWORD);
  assert.equal(login.status, 200);
  assert.equal((await api.get('/api/v1/auth/me')).body.user.username, 'duty');
});
