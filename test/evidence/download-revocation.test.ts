import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/auth/session-cookie.ts';
import { createUpload } from '../../src/evidence/tus-client.ts';
import { client } from '../helpers/http-client.ts';
import { assertCut, slowRead } from '../helpers/slow-client.ts';
import {
  type EvidenceWorld,
  evidenceWorld,
  incomingRequest,
  MAX_UPLOAD,
  META,
  tusAs,
} from './evidence-fixtures.ts';

// Issue 16, part 3: every long-lived stream stops within seconds of a revocation. A download of an
// evidence item, or of a package's hand-delivery archive, can last for hours; once the credentials
// that asked for it are revoked, signed out or disabled, the node cuts it, even while the reader is
// slow. The item is larger than every buffer between the node and the reader, so that a download the
// node does not cut arrives whole.
const SIZE = MAX_UPLOAD;
/** How long the slow reader waits after each piece it takes (about 3 MB/s: the whole would take 10 s). */
const READ_PAUSE_MS = 20;
/** How soon after the revocation the download must have ended, generous for a loaded machine. */
const DEADLINE_MS = 30_000;

let world: EvidenceWorld;
let itemId: string;
let archive: string;

before(async () => {
  world = await evidenceWorld();
  const requestId = await incomingRequest(world);
  const { duty, lawyer } = world.officers;
  const bytes = randomBytes(SIZE);
  const upload = await createUpload(tusAs(world, 'duty'), requestId, bytes.length, META);
  const done = await world.node.ctx.evidence.uploads.append(
    upload,
    { id: duty!.id, roles: ['DUTY_OFFICER'] },
    0,
    [bytes],
  );
  itemId = done.itemId!;
  const seal = await duty!.api.post(`/api/v1/requests/${requestId}/evidence/packages`, {});
  assert.equal(seal.status, 201, JSON.stringify(seal.body));
  const approved = await lawyer!.api.post(`/api/v1/evidence/packages/${seal.body.id}/approve`);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const delivery = await duty!.api.post(`/api/v1/evidence/packages/${seal.body.id}/hand-deliveries`, {
    recipient: 'Parquet de Paris',
    toState: 'FR',
  });
  assert.equal(delivery.status, 201, JSON.stringify(delivery.body));
  archive = delivery.body.archive as string;
});
after(() => world?.close());

/** Downloads `path` with a slow reader; once the first bytes arrived, `revoke` runs. */
const slowDownload = (path: string, headers: Record<string, string>, revoke: () => Promise<void>) =>
  slowRead(`${world.node.url}${path}`, headers, revoke, READ_PAUSE_MS);

test('revoking the token an item download was asked with cuts the download', async () => {
  const { duty } = world.officers;
  const { id, token } = await world.node.ctx.auth.createToken(duty!.id, {
    name: 'download',
    scopes: ['DUTY_OFFICER'],
    ttlDays: 1,
  });
  const api = client(world.node.url);
  api.setToken(token);
  const outcome = await slowDownload(
    `/api/v1/evidence/items/${itemId}/content`,
    { authorization: `Bearer ${token}` },
    async () => {
      assert.equal((await api.delete(`/api/v1/auth/tokens/${id}`)).status, 204);
    },
  );
  assertCut(outcome, SIZE, DEADLINE_MS);
});

test('signing out cuts an item download made with the session cookie', async () => {
  const login = await fetch(`${world.node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ev-duty', password: 'evidence-password-1' }),
  });
  assert.equal(login.status, 200);
  const session = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(login.headers.get('set-cookie') ?? '')![1]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = `${SESSION_COOKIE}=${session}`;
  const outcome = await slowDownload(`/api/v1/evidence/items/${itemId}/content`, { cookie }, async () => {
    const out = await fetch(`${world.node.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, [CSRF_HEADER]: csrfToken },
    });
    assert.ok(out.status < 300, `logout answered ${out.status}`);
  });
  assertCut(outcome, SIZE, DEADLINE_MS);
});

test('disabling the account cuts the download of a hand-delivery archive (an export)', async () => {
  const { duty } = world.officers;
  try {
    const outcome = await slowDownload(archive, { authorization: `Bearer ${duty!.token}` }, async () => {
      await world.node.ctx.users.setDisabled('test', 'ev-duty', true);
    });
    assertCut(outcome, SIZE, DEADLINE_MS);
  } finally {
    await world.node.ctx.users.setDisabled('test', 'ev-duty', false);
  }
});

test('a download whose credentials still hold arrives whole, however slow the reader', async () => {
  const { duty } = world.officers;
  const outcome = await slowDownload(
    `/api/v1/evidence/items/${itemId}/content`,
    { authorization: `Bearer ${duty!.token}` },
    async () => {},
  );
  assert.equal(outcome.status, 200);
  assert.equal(outcome.complete, true);
  assert.equal(outcome.received, SIZE);
});
