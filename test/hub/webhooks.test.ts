import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SIGNATURE_HEADER } from '../../src/hub/webhooks.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
let node: TestNode;
let cast: Cast;
let receiver: Server;
let base: string;
const received: Received[] = [];
let failuresLeft = 0;

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/flaky' && failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(500).end();
        return;
      }
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
after(async () => {
  await node.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('webhooks are signed and carry only what their owner may read; failed deliveries are retried', async () => {
  const admin = client(node.url);
  await admin.login('admin', DEMO_PASSWORD);
  const bankHook = await admin.post('/api/v1/hub/webhooks', {
    username: cast.users.bank.username,
    url: `${base}/bank`,
  });
  assert.equal(bankHook.status, 201, bankHook.text);
  const outsiderHook = await admin.post('/api/v1/hub/webhooks', {
    username: cast.users.outsider.username,
    url: `${base}/outsider`,
  });
  const flaky = await admin.post('/api/v1/hub/webhooks', {
    username: cast.users.telecom.username,
    url: `${base}/flaky`,
  });
  assert.equal(
    (await admin.post('/api/v1/hub/webhooks', { username: 'hub-bank', url: 'not a url' })).status,
    400,
  );
  const bankToken = await cast.token('bank');
  const member = client(node.url);
  member.setToken(bankToken);
  assert.equal((await member.get('/api/v1/hub/webhooks')).status, 403);

  failuresLeft = 1;
  const cert = client(node.url);
  cert.setToken(await cast.token('cert'));
  const amber = await cert.post('/api/v1/hub/alerts', {
    kind: 'ransomware',
    title: 'hook amber',
    confidence: 50,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'hook-amber.com' }],
  });
  const green = await cert.post('/api/v1/hub/alerts', {
    kind: 'ransomware',
    title: 'hook green',
    confidence: 50,
    tlp: 'GREEN',
    groupId: cast.national,
    indicators: [{ type: 'domain', value: 'hook-green.com' }],
  });
  const forBank = await until('two bank deliveries', () => {
    const got = received.filter((r) => r.path === '/bank');
    return got.length >= 2 ? got : undefined;
  });
  const ids = forBank.map((r) => JSON.parse(r.body).alert.id).sort();
  assert.deepEqual(ids, [amber.body.alert.id, green.body.alert.id].sort());
  for (const r of forBank) {
    const header = String(r.headers[SIGNATURE_HEADER]);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    assert.ok(t && v1, header);
    const expected = createHmac('sha256', bankHook.body.secret).update(`${t}.${r.body}`).digest('hex');
    assert.equal(v1, expected);
    assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 60);
  }
  const forOutsider = await until('the outsider delivery', () => {
    const got = received.filter((r) => r.path === '/outsider');
    return got.length >= 1 ? got : undefined;
  });
  // The flaky endpoint failed once, then got both events on retry / first try.
  await until('two deliveries to the flaky endpoint', () =>
    received.filter((r) => r.path === '/flaky').length >= 2 ? true : undefined,
  );
  assert.equal(forOutsider.length, 1);
  assert.equal(JSON.parse(forOutsider[0]!.body).alert.id, green.body.alert.id);
  assert.ok(!received.filter((r) => r.path === '/outsider').some((r) => r.body.includes('hook-amber.com')));
  const listed = await admin.get('/api/v1/hub/webhooks');
  assert.equal(listed.body.items.length, 3);
  assert.ok(listed.body.items.every((h: { lastDelivery: { ok: boolean } }) => h.lastDelivery.ok));
  assert.ok(!listed.text.includes(bankHook.body.secret), 'the secret is shown once only');
  assert.equal((await admin.delete(`/api/v1/hub/webhooks/${outsiderHook.body.webhook.id}`)).status, 204);
  assert.equal((await admin.delete(`/api/v1/hub/webhooks/${flaky.body.webhook.id}`)).status, 204);
  assert.equal((await admin.get('/api/v1/hub/webhooks')).body.items.length, 1);
});
