import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/auth/session-cookie.ts';
import { client } from '../helpers/http-client.ts';
import { assertCut, slowRead, slowSend } from '../helpers/slow-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub, PASSWORD } from './hub-fixture.ts';

// Issue 16, part 3: every long answer stops within seconds of a revocation. The hub's NDJSON bulk
// check (a list streamed in for as long as its client likes, and up to 100,000 result lines streamed
// back) and TAXII pages (up to 1,000 objects) were checked only when they started: a revoked token,
// a signed-out session or a disabled account still got the whole answer.
const NDJSON = 'application/x-ndjson';
const TAXII = 'application/taxii+json;version=2.1';
/** How long a slow reader waits after each piece it takes. */
const READ_PAUSE_MS = 20;
/** How often a slow sender writes one more line of its bulk list. */
const SEND_PAUSE_MS = 20;
/** How soon after the revocation the answer must have ended, generous for a loaded machine. */
const DEADLINE_MS = 30_000;
/** Identity objects in the collection, each with a long description: a page of megabytes. */
const OBJECTS = 1000;

let node: TestNode;
let cast: Cast;
let pagePath: string;

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  pagePath = `/taxii2/hub/collections/${cast.national}/objects/?limit=${OBJECTS}`;
  const objects = Array.from({ length: OBJECTS }, (_, i) => ({
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${randomUUID()}`,
    created: '2026-03-01T08:00:00.000Z',
    modified: '2026-03-01T08:00:00.000Z',
    name: `source ${i}`,
    description: `a source of many reports ${i} `.repeat(300),
    identity_class: 'organization',
  }));
  const added = await (await as('bank')).call(
    'POST',
    `/taxii2/hub/collections/${cast.national}/objects/`,
    JSON.stringify({ objects }),
    { accept: TAXII, 'content-type': TAXII },
  );
  assert.equal(added.status, 202, added.text);
  assert.equal(added.body.success_count, OBJECTS);
});
after(() => node?.close());

async function as(who: 'bank' | 'telecom') {
  const api = client(node.url);
  api.setToken(await cast.token(who));
  return api;
}

/** A new token of `who`, and a way to revoke it through the API. */
async function revocableToken(who: 'bank' | 'telecom') {
  const { id, token } = await node.ctx.auth.createToken(cast.users[who].id, {
    name: 'long answer',
    scopes: ['PRIVATE_LIAISON'],
    ttlDays: 1,
  });
  const revoke = async () => {
    const api = client(node.url);
    api.setToken(token);
    assert.equal((await api.delete(`/api/v1/auth/tokens/${id}`)).status, 204);
  };
  return { token, revoke };
}

const line = (i: number) =>
  `${JSON.stringify({ type: 'ipv4', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` })}\n`;
const FULL_LIST = Array.from({ length: 100_000 }, (_, i) => line(i)).join('');

function assertStopped(outcome: Awaited<ReturnType<typeof slowSend>>): void {
  assert.ok(outcome.linesSent >= outcome.linesAtRevocation, 'the list was still being sent');
  // A 401 answered before the list ended, or the connection cut: never a result.
  if (outcome.status !== 0) {
    assert.equal(outcome.status, 401, outcome.text);
    assert.equal(JSON.parse(outcome.text).code, 'ERR_UNAUTHENTICATED');
  }
  assert.doesNotMatch(outcome.text, /"i":/, 'no result was answered');
}

test('revoking the token a bulk check is being sent with stops it: 401, and no result', async () => {
  const { token, revoke } = await revocableToken('bank');
  const outcome = await slowSend(
    `${node.url}/api/v1/hub/check`,
    { authorization: `Bearer ${token}`, 'content-type': NDJSON },
    line,
    { revokeAfter: 5, revoke, pauseMs: SEND_PAUSE_MS, deadlineMs: DEADLINE_MS },
  );
  assertStopped(outcome);
  assert.equal(outcome.status, 401, 'answered 401 while the list was still being sent');
});

test('disabling the account stops a bulk check being sent with the session cookie', async () => {
  const { username } = cast.users.telecom;
  const login = await fetch(`${node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const session = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(login.headers.get('set-cookie') ?? '')![1]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  try {
    const outcome = await slowSend(
      `${node.url}/api/v1/hub/check`,
      { cookie: `${SESSION_COOKIE}=${session}`, [CSRF_HEADER]: csrfToken, 'content-type': NDJSON },
      line,
      {
        revokeAfter: 5,
        revoke: async () => {
          await node.ctx.users.setDisabled('test', username, true);
        },
        pauseMs: SEND_PAUSE_MS,
        deadlineMs: DEADLINE_MS,
      },
    );
    assertStopped(outcome);
  } finally {
    await node.ctx.users.setDisabled('test', username, false);
  }
});

test('revoking the token cuts the streamed answer of a bulk check to a slow reader', async () => {
  const whole = Buffer.byteLength(
    (await (await as('bank')).call('POST', '/api/v1/hub/check', FULL_LIST, { 'content-type': NDJSON })).text,
  );
  const { token, revoke } = await revocableToken('bank');
  const outcome = await slowRead(
    `${node.url}/api/v1/hub/check`,
    { authorization: `Bearer ${token}`, 'content-type': NDJSON },
    revoke,
    READ_PAUSE_MS,
    FULL_LIST,
  );
  assertCut(outcome, whole, DEADLINE_MS);
});

test('revoking the token a TAXII page is read with (HTTP Basic) cuts the page', async () => {
  const whole = Buffer.byteLength(
    (await (await as('bank')).call('GET', pagePath, undefined, { accept: TAXII })).text,
  );
  const { token, revoke } = await revocableToken('bank');
  const basic = Buffer.from(`${cast.users.bank.username}:${token}`).toString('base64');
  const outcome = await slowRead(
    `${node.url}${pagePath}`,
    { authorization: `Basic ${basic}`, accept: TAXII },
    revoke,
    READ_PAUSE_MS,
  );
  assertCut(outcome, whole, DEADLINE_MS);
});

test('long answers whose credentials still hold arrive whole, whatever else is revoked meanwhile', async () => {
  // Another token revoked during the read makes every long answer check its own credentials at once.
  const api = await as('bank');
  const wholePage = Buffer.byteLength((await api.call('GET', pagePath, undefined, { accept: TAXII })).text);
  const wholeCheck = Buffer.byteLength(
    (await api.call('POST', '/api/v1/hub/check', FULL_LIST, { 'content-type': NDJSON })).text,
  );
  const other = await revocableToken('telecom');
  const { token } = await revocableToken('bank');
  const basic = Buffer.from(`${cast.users.bank.username}:${token}`).toString('base64');
  const page = await slowRead(
    `${node.url}${pagePath}`,
    { authorization: `Basic ${basic}`, accept: TAXII },
    other.revoke,
    READ_PAUSE_MS,
  );
  assert.equal(page.status, 200);
  assert.equal(page.complete, true);
  assert.equal(page.received, wholePage);
  const another = await revocableToken('telecom');
  const checked = await slowRead(
    `${node.url}/api/v1/hub/check`,
    { authorization: `Bearer ${token}`, 'content-type': NDJSON },
    another.revoke,
    READ_PAUSE_MS,
    FULL_LIST,
  );
  assert.equal(checked.status, 200);
  assert.equal(checked.complete, true);
  assert.equal(checked.received, wholeCheck);
});
