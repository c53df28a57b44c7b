import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fieldsWithNul } from '../../src/api/plugins/input-safety.ts';
import { client, type Reply } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

// Found by an attack review (issue 16, part 2): each of these once gave a 5xx, a hang or a huge answer.
let node: TestNode;
before(async () => {
  node = await startTestNode();
});
after(() => node.close());

const signedIn = async (username: string) => {
  const api = client(node.url);
  assert.equal((await api.login(username, DEMO_PASSWORD)).status, 200);
  return api;
};

function assertProblem(reply: Reply, status: number, code: string, field?: string): void {
  assert.equal(reply.status, status, reply.text.slice(0, 500));
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(reply.body.code, code);
  if (field) {
    const fields = (reply.body.errors ?? []).map((e: { field: string }) => e.field);
    assert.ok(fields.includes(field), `${field} is named in ${JSON.stringify(reply.body.errors)}`);
  }
}

/** One raw HTTP exchange, for what fetch refuses to send (huge headers, malformed URLs). */
function raw(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(node.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, body: text ? JSON.parse(text) : null, text });
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('numbers sent as strings do not slip past the bounds', () => {
  for (const count of ['Infinity', '1e309', '1e20', '-Infinity', '1.5']) {
    test(`POST /api/v1/federation/ping {"count":"${count}"} answers 400 naming count`, async () => {
      const admin = await signedIn('admin');
      assertProblem(
        await admin.post('/api/v1/federation/ping', { to: 'FR', count }),
        400,
        'ERR_VALIDATION',
        'body/count',
      );
    });
  }

  test('after the hostile pings the node still answers at once', async () => {
    const admin = await signedIn('admin');
    assert.equal((await admin.get('/api/v1/federation/summary')).status, 200);
  });

  test('limit, after, version and ttlDays refuse Infinity and 1e20 on every route that takes them', async () => {
    const auditor = await signedIn('auditor');
    const admin = await signedIn('admin');
    const investigator = await signedIn('investigator');
    for (const value of ['Infinity', '1e309', '1e20', '99999999999']) {
      assertProblem(
        await auditor.get(`/api/v1/audit/entries?after=${value}`),
        400,
        'ERR_VALIDATION',
        'querystring/after',
      );
      assertProblem(
        await auditor.get(`/api/v1/audit/entries?limit=${value}`),
        400,
        'ERR_VALIDATION',
        'querystring/limit',
      );
      assertProblem(
        await admin.get(`/api/v1/directory/signed?version=${value}`),
        400,
        'ERR_VALIDATION',
        'querystring/version',
      );
      assertProblem(
        await admin.get(`/api/v1/users?limit=${value}`),
        400,
        'ERR_VALIDATION',
        'querystring/limit',
      );
      assertProblem(
        await investigator.get(`/api/v1/requests?limit=${value}`),
        400,
        'ERR_VALIDATION',
        'querystring/limit',
      );
      assertProblem(
        await investigator.post('/api/v1/auth/tokens', {
          name: 'x',
          scopes: ['INVESTIGATOR'],
          ttlDays: value,
        }),
        400,
        'ERR_VALIDATION',
        'body/ttlDays',
      );
    }
  });

  test('a JSON number too large for the database is refused too', async () => {
    const auditor = await signedIn('auditor');
    assertProblem(await auditor.get('/api/v1/audit/entries?after=4294967296'), 400, 'ERR_VALIDATION');
    const reply = await auditor.get('/api/v1/audit/entries?after=2147483647');
    assert.equal(reply.status, 200, 'the largest integer is still accepted');
  });
});

test('a raw body stream (a tus PATCH) is not walked for U+0000: its object graph never ends', () => {
  const stream = new PassThrough();
  assert.deepEqual(fieldsWithNul('body', stream), []);
  assert.deepEqual(fieldsWithNul('body', Buffer.from('a\u0000b')), []);
  assert.equal(fieldsWithNul('body', { a: ['ok', 'b\u0000'] })[0]?.field, 'body/a/1');
});

describe('U+0000 never reaches the database', () => {
  test('anonymous sign-in with a NUL in the username answers 400 naming the field', async () => {
    const reply = await client(node.url).post('/api/v1/auth/login', {
      username: 'ad\u0000min',
      password: 'x'.repeat(12),
    });
    assertProblem(reply, 400, 'ERR_VALIDATION', 'body/username');
  });

  test('a NUL in a nested body string, a query or a path parameter answers 400', async () => {
    const investigator = await signedIn('investigator');
    const body = await investigator.post('/api/v1/requests', {
      title: 'x\u0000y',
      nested: { a: ['\u0000'] },
    });
    assertProblem(body, 400, 'ERR_VALIDATION', 'body/title');
    assertProblem(await investigator.get('/api/v1/requests?q=%00'), 400, 'ERR_VALIDATION', 'querystring/q');
    assertProblem(await investigator.get('/api/v1/requests/a%00b'), 400, 'ERR_VALIDATION', 'params/id');
  });
});

describe('answers stay small and in one format', () => {
  test('a 0.5 MB array of bad items answers at most 100 listed errors and a count', async () => {
    const admin = await signedIn('admin');
    const scopes = Array.from({ length: 60_000 }, () => 'NOT_A_ROLE');
    const reply = await admin.post('/api/v1/auth/tokens', { name: 'x', scopes, ttlDays: 1 });
    assertProblem(reply, 400, 'ERR_VALIDATION');
    assert.ok(reply.body.errors.length <= 100, `${reply.body.errors.length} errors listed`);
    assert.ok(reply.body.errorsOmitted > 0);
    assert.ok(reply.text.length < 64 * 1024, `the answer is ${reply.text.length} bytes`);
  });

  test('headers over the limit answer 431 problem+json', async () => {
    const reply = await raw('/healthz', { 'x-big': 'a'.repeat(40_000) });
    assertProblem(reply, 431, 'ERR_HEADERS_TOO_LARGE');
  });

  test('a path segment over the router limit answers problem+json (414, or 404 under the web desk)', async () => {
    for (const path of [`/api/v1/hub/alerts/${'a'.repeat(500)}`, `/api/v1/auth/tokens/${'b'.repeat(500)}`]) {
      const reply = await raw(path);
      assert.ok([404, 414].includes(reply.status), `${reply.status}`);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.match(reply.body.code, /^ERR_/);
    }
  });

  test('a malformed percent-encoding answers 400 problem+json', async () => {
    assertProblem(await raw('/api/v1/hub/alerts/%E0%A4%A'), 400, 'ERR_BAD_URL');
  });
});
