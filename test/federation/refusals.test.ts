import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { type Jwk, signJson, verifyJson } from '../../src/crypto/node-keys.ts';
import type { MessageHeader } from '../../src/domain/federation/index.ts';
import { type SignedMessage, sealMessage } from '../../src/federation/envelope.ts';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import { auditEntries, federationInbox } from '../../src/store/schema/index.ts';
import {
  apiAs,
  eventually,
  linkNodes,
  type NetNode,
  shiftedClock,
  startNetNode,
} from './federation-network.ts';
import { pingHeader } from './message-fixtures.ts';

// Every way a message can be wrong, posted to FR's real inbox: each is refused with a stable code
// and an audit entry; a good message gets a receipt, and sending it again gets the same receipt.
let vn: NetNode;
let fr: NetNode;
let de: NetNode;
const frClock = shiftedClock();

before(async () => {
  [vn, fr, de] = await Promise.all([
    startNetNode({ state: 'VN' }),
    startNetNode({ state: 'FR', clock: frClock }),
    startNetNode({ state: 'DE' }),
  ]);
  await linkNodes([vn, fr, de]);
});
after(async () => {
  await Promise.all([vn?.destroy(), fr?.destroy(), de?.destroy()]);
});

function headerFor(overrides: Partial<MessageHeader> = {}): MessageHeader {
  return pingHeader(fr.ctx.clock.now(), overrides);
}

function signer(node: NetNode) {
  const key = node.ctx.keyring.privateKeys().signing.privateJwk;
  return (payload: SignedMessage, header: Record<string, unknown>) => signJson(payload, key, header);
}

const frKey = (): Jwk => fr.ctx.keyring.publicKeys().encryption;

async function seal(header: MessageHeader, options: { by?: NetNode; to?: Jwk; body?: unknown } = {}) {
  return sealMessage({ header, body: options.body ?? {} }, signer(options.by ?? vn), options.to ?? frKey());
}

async function post(body: string, contentType = 'application/jose') {
  const response = await fetch(`${fr.url}/federation/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) };
}

/**
 * Refusals accounted for: audited one by one, or counted for a per-address summary entry (whose
 * payload, like every audit payload, is kept as a hash only).
 */
async function refusals(): Promise<number> {
  const [single] = await fr.database.db
    .select({ n: sql<number>`count(*)` })
    .from(auditEntries)
    .where(eq(auditEntries.action, 'federation.refuse'));
  return Number(single!.n) + fr.ctx.federation.inbox.countedRefusals();
}

/**
 * Posts, expects the refusal code, and checks one more refusal was audited; `objectId` is given for
 * a message whose signature verified, which is audited on its own.
 */
async function refused(body: string, status: number, code: string, objectId?: string) {
  const before = await refusals();
  const reply = await post(body);
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.code, code);
  assert.match(reply.type ?? '', /application\/problem\+json/);
  assert.ok(reply.body.detail.length > 10, 'a clear message');
  assert.equal(await refusals(), before + 1, `${code} was audited`);
  if (objectId) {
    const rows = await fr.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'federation.refuse'), eq(auditEntries.objectId, objectId)));
    assert.equal(rows.length, 1);
  }
  return reply.body;
}

test('a good message gets a signed receipt; the same message again gets the same receipt, applied once', async () => {
  const header = headerFor();
  const sealed = await seal(header);
  const first = await post(sealed.jwe);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.duplicate, false);
  const receipt = (await verifyJson(first.body.receipt, [fr.ctx.keyring.publicKeys().signing])) as Record<
    string,
    unknown
  >;
  assert.equal(receipt.messageId, header.id);
  assert.equal(receipt.payloadSha256, sealed.payloadSha256);
  assert.equal(receipt.receiver, 'FR');
  assert.ok(typeof receipt.receivedAt === 'string');

  // A replay of the very same envelope (or a retry after a lost answer) is not applied twice.
  const again = await post(sealed.jwe);
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  assert.equal(again.body.receipt, first.body.receipt);
  const rows = await fr.database.db
    .select()
    .from(federationInbox)
    .where(eq(federationInbox.messageId, header.id));
  assert.equal(rows.length, 1);
  const audit = await fr.database.db.select().from(auditEntries).where(eq(auditEntries.objectId, header.id));
  assert.deepEqual(audit.map((a) => a.action).sort(), ['federation.duplicate', 'federation.receive']);

  // The same id with another content is a replay, not a retry.
  const forged = await seal({ ...header }, { body: { other: true } });
  await refused(forged.jwe, 409, 'ERR_PEER_REPLAY', header.id);
});

test('a tampered ciphertext is refused', async () => {
  const header = headerFor();
  const { jwe } = await seal(header);
  const parts = jwe.split('.');
  const ciphertext = Buffer.from(parts[3]!, 'base64url');
  ciphertext[5]! ^= 0x01;
  parts[3] = ciphertext.toString('base64url');
  // Nothing inside can be trusted: the refusal is audited under the hash of the body.
  await refused(parts.join('.'), 400, 'ERR_PEER_ENVELOPE');
});

test('a message signed by another node than its sender is refused', async () => {
  const header = headerFor();
  const { jwe } = await seal(header, { by: de });
  // A bad signature proves no sender: counted per address, not audited by message id.
  const problem = await refused(jwe, 401, 'ERR_PEER_SIGNATURE');
  assert.match(problem.detail, /signature/);
});

test('an expired message, and one from too far in the future, are refused', async () => {
  const now = fr.ctx.clock.now().getTime();
  const old = headerFor({
    created: new Date(now - 2 * 86_400_000).toISOString(),
    expires: new Date(now - 86_400_000).toISOString(),
  });
  await refused((await seal(old)).jwe, 400, 'ERR_PEER_EXPIRED', old.id);
  const future = headerFor({
    created: new Date(now + 3_600_000).toISOString(),
    expires: new Date(now + 7_200_000).toISOString(),
  });
  await refused((await seal(future)).jwe, 400, 'ERR_PEER_CLOCK_SKEW', future.id);
});

test('a message for another node is refused, whether addressed or encrypted to it', async () => {
  const addressed = headerFor({ to: 'DE' });
  await refused((await seal(addressed)).jwe, 400, 'ERR_PEER_RECIPIENT', addressed.id);
  const encrypted = headerFor();
  await refused(
    (await seal(encrypted, { to: de.ctx.keyring.publicKeys().encryption })).jwe,
    400,
    'ERR_PEER_RECIPIENT',
  );
});

test('a truncated body is refused', async () => {
  const { jwe } = await seal(headerFor());
  await refused(jwe.slice(0, Math.floor(jwe.length / 2)), 400, 'ERR_PEER_ENVELOPE');
  await refused(jwe.slice(0, jwe.lastIndexOf('.')), 400, 'ERR_PEER_ENVELOPE');
});

test('an 11 MB body is refused with 413 and audited', async () => {
  const big = 'a'.repeat(11 * 1024 * 1024);
  const problem = await refused(big, 413, 'ERR_PEER_TOO_LARGE');
  assert.match(problem.detail, /10485760 bytes/);
});

test('messages of one request are applied in order: a later one waits for the earlier', async () => {
  const requestId = uuidv7();
  const second = headerFor({ requestId, seq: 2 });
  await refused((await seal(second)).jwe, 409, 'ERR_PEER_OUT_OF_ORDER', second.id);
  const first = headerFor({ requestId, seq: 1 });
  assert.equal((await post((await seal(first)).jwe)).status, 200);
  assert.equal((await post((await seal(second)).jwe)).status, 200);
});

test('the sender sees a refusal: the message becomes a dead letter with its code, which an administrator can retry', async () => {
  const admin = await apiAs(vn, 'vn-admin', ['ADMIN']);
  const longAgo = new Date(vn.ctx.clock.now().getTime() - 2 * 86_400_000);
  const id = await vn.database.db.transaction((tx) =>
    enqueueMessage(tx, { recipient: 'FR', type: 'ping', requestId: null, body: {} }, longAgo, 3_600_000),
  );
  vn.ctx.federation.sender.nudge();
  const dead = await eventually(async () => {
    const reply = await admin.get('/api/v1/federation/dead-letters');
    return reply.body.items.find((m: { id: string }) => m.id === id);
  }, 'the dead letter');
  assert.equal(dead.lastErrorCode, 'ERR_PEER_EXPIRED');
  assert.equal(dead.attempts, 1, 'a refusal no retry can cure is not retried');
  const audited = await vn.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'federation.dead_letter'), eq(auditEntries.objectId, id)));
  assert.equal(audited.length, 1);

  const retried = await admin.post(`/api/v1/federation/dead-letters/${id}/retry`);
  assert.equal(retried.status, 200, JSON.stringify(retried.body));
  assert.equal(retried.body.attempts, 0);
  // Sent again, refused again (still expired): wait for it, so its refusal is not counted by the next test.
  await eventually(async () => {
    const again = await admin.get(`/api/v1/federation/outbox?status=dead`);
    return again.body.items.find((m: { id: string; attempts: number }) => m.id === id && m.attempts === 1);
  }, 'the retried message refused again');
  const notDead = await admin.post(`/api/v1/federation/dead-letters/${uuidv7()}/retry`);
  assert.equal(notDead.status, 404);
  const reader = await apiAs(vn, 'vn-duty', ['DUTY_OFFICER']);
  assert.equal((await reader.get('/api/v1/federation/dead-letters')).status, 403);
});

test('seen message ids are forgotten once their replay window has passed', async () => {
  const header = headerFor();
  assert.equal((await post((await seal(header)).jwe)).status, 200);
  const seen = async () =>
    (await fr.database.db.select().from(federationInbox).where(eq(federationInbox.messageId, header.id)))
      .length;
  assert.equal(await seen(), 1);
  await fr.ctx.federation.purgeSeenMessages();
  assert.equal(await seen(), 1, 'still inside its window');
  const clock = frClock;
  clock.offsetMs += 2 * 3_600_000;
  try {
    await fr.ctx.federation.purgeSeenMessages();
    assert.equal(await seen(), 0);
    // The same envelope now is simply too old.
    await refused((await seal(header)).jwe, 400, 'ERR_PEER_EXPIRED', header.id);
  } finally {
    clock.offsetMs -= 2 * 3_600_000;
  }
});
