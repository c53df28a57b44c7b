import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ERROR_CATALOGUE } from '../../src/shared/error-catalogue.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// A problem body's `type` is the relative reference /problems/ERR_…: resolved against the URL that
// answered, it is a page of the same node describing that code, as HTML or JSON.
let node: TestNode;
before(async () => {
  node = await startTestNode();
});
after(() => node.close());

const JSON_ACCEPT = { accept: 'application/json' };

/** The catalogue entry that a problem body's type leads to, fetched from the node as a program would. */
async function followType(requestUrl: string, type: string) {
  const resolved = new URL(type, requestUrl);
  assert.equal(resolved.origin, new URL(node.url).origin, 'the type resolves on the node that answered');
  const reply = await fetch(resolved, { headers: JSON_ACCEPT });
  assert.equal(reply.status, 200, `${resolved} answers`);
  return (await reply.json()) as { code: string; status: number | null; meaning: string; action: string };
}

test('problem bodies name their type /problems/CODE, and it resolves on the node to that entry', async () => {
  const api = client(node.url);
  const cases = [
    { reply: await api.post('/api/v1/auth/login', { username: 'duty' }), code: 'ERR_VALIDATION' },
    { reply: await api.get('/api/v1/users'), code: 'ERR_UNAUTHENTICATED' },
    { reply: await api.get('/api/v1/nothing-here'), code: 'ERR_NO_ROUTE' },
    {
      reply: await api.post('/api/v1/auth/login', { username: 'duty', password: 'wrong-one' }),
      code: 'ERR_LOGIN',
    },
  ];
  for (const { reply, code } of cases) {
    assert.equal(reply.body.code, code);
    assert.equal(reply.body.type, `/problems/${code}`);
    const entry = await followType(`${node.url}/api/v1/auth/login`, reply.body.type);
    assert.equal(entry.code, code);
    assert.equal(entry.status, reply.status, `${code}: the catalogue gives the status the node answered`);
  }
});

test("Fastify's own refusals are answered under catalogue codes", async () => {
  const api = client(node.url);
  const notJson = await api.call('POST', '/api/v1/auth/login', '{"username": ', {
    'content-type': 'application/json',
  });
  assert.deepEqual([notJson.status, notJson.body.code], [400, 'ERR_INVALID_JSON']);
  const huge = await api.call(
    'POST',
    '/api/v1/auth/login',
    JSON.stringify({ username: 'x'.repeat(10 * 1024 * 1024), password: 'p' }),
  );
  assert.deepEqual([huge.status, huge.body.code], [413, 'ERR_BODY_TOO_LARGE']);
  const wrongType = await api.call('POST', '/api/v1/auth/login', 'username=duty', {
    'content-type': 'text/plain',
  });
  assert.deepEqual([wrongType.status, wrongType.body.code], [415, 'ERR_UNSUPPORTED_MEDIA_TYPE']);
  for (const reply of [notJson, huge, wrongType]) {
    assert.equal((await followType(node.url, reply.body.type)).code, reply.body.code);
  }
});

test('GET /problems/CODE is a page for a person, without signing in', async () => {
  for (const url of ['/problems', '/problems/:code']) {
    const route = node.app.routeTable.find((r) => r.url === url && r.method === 'GET');
    assert.equal(route?.access, 'public', `${url} is declared public`);
  }
  const reply = await fetch(`${node.url}/problems/ERR_FOUR_EYES`, { headers: { accept: 'text/html' } });
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(reply.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await reply.text();
  assert.match(html, /<code>ERR_FOUR_EYES<\/code>/);
  assert.ok(html.includes(ERROR_CATALOGUE.ERR_FOUR_EYES.action));
  assert.match(html, /HTTP status<\/dt><dd>403/);
});

test('GET /problems lists every catalogued code, as HTML and as JSON', async () => {
  const page = await fetch(`${node.url}/problems`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const json = await client(node.url).call('GET', '/problems', undefined, JSON_ACCEPT);
  assert.equal(json.status, 200);
  const codes = json.body.problems.map((p: { code: string }) => p.code).sort();
  assert.deepEqual(codes, Object.keys(ERROR_CATALOGUE).sort());
  for (const code of codes) assert.ok(html.includes(`href="/problems/${code}"`), `${code} linked`);
  for (const problem of json.body.problems) assert.equal(problem.type, `/problems/${problem.code}`);
});

test('an unknown code is a 404 problem, and markup in the path is not echoed as HTML', async () => {
  const api = client(node.url);
  const unknown = await api.call('GET', '/problems/ERR_NO_SUCH_THING', undefined, JSON_ACCEPT);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'ERR_NOT_FOUND');
  const markup = await fetch(`${node.url}/problems/%3Cscript%3E`, { headers: { accept: 'text/html' } });
  assert.equal(markup.status, 404);
  assert.match(markup.headers.get('content-type') ?? '', /application\/problem\+json/);
  const longCode = await api.call('GET', `/problems/ERR_${'X'.repeat(70)}`, undefined, JSON_ACCEPT);
  assert.equal(longCode.status, 400);
  assert.equal(longCode.body.code, 'ERR_VALIDATION');
});
