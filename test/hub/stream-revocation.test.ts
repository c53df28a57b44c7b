import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/auth/session-cookie.ts';
import { client } from '../helpers/http-client.ts';
import { startLoopbackServer } from '../helpers/loopback-server.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub, PASSWORD } from './hub-fixture.ts';
import { endsSignedOut, openSse } from './sse-client.ts';

// Issue 16, part 3: the hub stream kept sending after sign-out and account disable, and a webhook
// kept delivering to a disabled owner. Each must stop within seconds of the revocation.
let node: TestNode;
let cast: Cast;
let receiver: Awaited<ReturnType<typeof startLoopbackServer>>;
let base: string;
const received: string[] = [];

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  receiver = await startLoopbackServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.url ?? '');
      res.writeHead(204).end();
    });
  });
  base = receiver.base;
});
after(async () => {
  await node.close();
  await receiver.close();
});

const STREAM = () => `${node.url}/api/v1/hub/stream`;

async function publishGreen(title: string): Promise<void> {
  const api = client(node.url);
  api.setToken(await cast.token('cert'));
  const reply = await api.post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title,
    confidence: 70,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: `${title}.example.com` }],
  });
  assert.equal(reply.status, 201, reply.text);
}

test('revoking the token a hub stream was opened with ends the stream', async () => {
  const { id, token } = await node.ctx.auth.createToken(cast.users.bank.id, {
    name: 'stream',
    scopes: ['PRIVATE_LIAISON'],
    ttlDays: 1,
  });
  const stream = await openSse(STREAM(), token);
  assert.equal(stream.status, 200);
  const api = client(node.url);
  api.setToken(token);
  assert.equal((await api.delete(`/api/v1/auth/tokens/${id}`)).status, 204);
  await endsSignedOut(stream);
});

test('signing out ends a hub stream opened with the session cookie', async () => {
  const login = await fetch(`${node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: cast.users.telecom.username, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const session = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(login.headers.get('set-cookie') ?? '')![1]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = `${SESSION_COOKIE}=${session}`;
  const stream = await openSse(STREAM(), null, { cookie });
  assert.equal(stream.status, 200);
  const out = await fetch(`${node.url}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { cookie, [CSRF_HEADER]: csrfToken },
  });
  assert.ok(out.status < 300, `logout answered ${out.status}`);
  await endsSignedOut(stream);
});

test('disabling the account ends its hub stream; nothing published afterwards reaches it', async () => {
  const stream = await openSse(STREAM(), await cast.token('outsider'));
  const admin = client(node.url);
  assert.equal((await admin.login('admin', DEMO_PASSWORD)).status, 200);
  assert.equal((await admin.post(`/api/v1/users/${cast.users.outsider.username}/disable`)).status, 200);
  await publishGreen('after-disable');
  await endsSignedOut(stream);
  assert.ok(!stream.events.some((e) => e.event.startsWith('alert.')), 'no alert after the disable');
});

test('an account disabled straight in the database (another replica) loses its stream within seconds', async () => {
  const stream = await openSse(STREAM(), await cast.token('lonely'));
  await node.ctx.database.db.execute(
    sql`UPDATE users SET disabled = true WHERE id = ${cast.users.lonely.id}`,
  );
  await endsSignedOut(stream, 30_000);
});

test('a webhook of a disabled owner delivers nothing more; another owner still receives', async () => {
  const admin = client(node.url);
  assert.equal((await admin.login('admin', DEMO_PASSWORD)).status, 200);
  for (const who of ['bank', 'cert'] as const) {
    const made = await admin.post('/api/v1/hub/webhooks', {
      username: cast.users[who].username,
      url: `${base}/${who}`,
    });
    assert.equal(made.status, 201, made.text);
  }
  await publishGreen('before-disable');
  const deadline = Date.now() + 20_000;
  while (!(received.includes('/bank') && received.includes('/cert'))) {
    if (Date.now() > deadline) throw new Error(`both owners receive first: ${received.join(',')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal((await admin.post(`/api/v1/users/${cast.users.bank.username}/disable`)).status, 200);
  received.length = 0;
  await publishGreen('after-owner-disabled');
  await publishGreen('after-owner-disabled-2');
  while (received.filter((p) => p === '/cert').length < 2) {
    if (Date.now() > deadline + 20_000) throw new Error('the other owner keeps receiving');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(!received.includes('/bank'), `a disabled owner received: ${received.join(',')}`);
});
