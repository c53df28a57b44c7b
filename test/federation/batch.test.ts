import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { signJson, verifyJson } from '../../src/crypto/node-keys.ts';
import type { BatchReceipt, MessageHeader } from '../../src/domain/federation/index.ts';
import { sealBatch } from '../../src/federation/batch-envelope.ts';
import { JWS_TYPE } from '../../src/federation/envelope.ts';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { BATCHES_PATH } from '../../src/federation/sender-worker.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import { auditEntries, federationInbox, federationOutbox } from '../../src/store/schema/index.ts';
import { eventually, linkNodes, type NetNode, startNetNode } from './federation-network.ts';
import { pingHeader } from './message-fixtures.ts';

// Batch delivery between real nodes: several messages for one peer travel in one envelope, each
// signed alone; the receiver persists the batch in one transaction and answers one signed receipt
// with each message's outcome, so one bad message is refused alone.
let vn: NetNode;
let fr: NetNode;
let de: NetNode;

before(async () => {
  [vn, fr, de] = await Promise.all([
    startNetNode({ state: 'VN', federation: { retry: { baseMs: 20, maxMs: 50, maxAttempts: 1000 } } }),
    startNetNode({ state: 'FR' }),
    startNetNode({ state: 'DE' }),
  ]);
  await linkNodes([vn, fr, de]);
  // Rounds are run by hand: the background sender would take messages as soon as they are queued.
  await vn.ctx.federation.stop();
});
after(async () => {
  await Promise.all([vn?.destroy(), fr?.destroy(), de?.destroy()]);
});

async function queuePings(count: number, createdAt = vn.ctx.clock.now()): Promise<string[]> {
  return vn.database.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(
        await enqueueMessage(
          tx,
          { recipient: 'FR', type: 'ping', requestId: null, body: { i } },
          createdAt,
          3_600_000,
        ),
      );
    return ids;
  });
}

async function outboxRows(ids: string[]) {
  return vn.database.db.select().from(federationOutbox).where(inArray(federationOutbox.id, ids));
}

async function audited(action: string, ids: string[]): Promise<string[]> {
  const rows = await fr.database.db
    .select({ id: auditEntries.objectId })
    .from(auditEntries)
    .where(and(eq(auditEntries.action, action), inArray(auditEntries.objectId, ids)));
  return rows.map((r) => r.id).sort();
}

const sign = (node: NetNode, header: MessageHeader, body: unknown = {}) =>
  signJson({ header, body }, node.ctx.keyring.privateKeys().signing.privateJwk, { typ: JWS_TYPE });

async function postBatch(messages: string[], route: { from?: string; to?: string } = {}) {
  const jwe = await sealBatch(
    { batch: uuidv7(), from: route.from ?? 'VN', to: route.to ?? 'FR', count: messages.length },
    messages,
    fr.ctx.keyring.publicKeys().encryption,
  );
  return postRaw(jwe);
}

async function postRaw(jwe: string) {
  const response = await fetch(fr.url + BATCHES_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: jwe,
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, jwe };
}

async function receiptOf(jws: unknown): Promise<BatchReceipt> {
  return (await verifyJson(jws as string, [fr.ctx.keyring.publicKeys().signing])) as BatchReceipt;
}

test('messages due for one peer travel as one batch, with one signed receipt naming each of them', async () => {
  const ids = await queuePings(5);
  assert.equal(await vn.ctx.federation.sender.runOnce(), 5);
  const rows = await outboxRows(ids);
  assert.deepEqual(
    rows.map((r) => r.status),
    ids.map(() => 'sent'),
  );
  const receipts = new Set(rows.map((r) => r.receipt));
  assert.equal(receipts.size, 1, 'one receipt for the batch');
  const receipt = await receiptOf(rows[0]!.receipt);
  assert.equal(receipt.type, 'batch_receipt');
  assert.equal(receipt.sender, 'VN');
  assert.equal(receipt.receiver, 'FR');
  assert.ok(typeof receipt.receivedAt === 'string');
  // Each message's proof of delivery: its id with the hash of what was sent, accepted.
  for (const row of rows) {
    const outcome = receipt.messages.find((m) => m.messageId === row.id);
    assert.equal(outcome?.outcome, 'accepted');
    assert.equal(outcome?.payloadSha256, row.payloadSha256);
  }
  // The receiver kept each message as a single delivery would: its hash, the receipt, an audit entry.
  const inbox = await fr.database.db
    .select()
    .from(federationInbox)
    .where(inArray(federationInbox.messageId, ids));
  assert.equal(inbox.length, 5);
  for (const row of inbox) {
    assert.equal(row.receipt, rows[0]!.receipt);
    assert.equal(row.payloadSha256, rows.find((r) => r.id === row.messageId)!.payloadSha256);
  }
  assert.deepEqual(await audited('federation.receive', ids), [...ids].sort());
});

test('one unsigned, one wrongly signed and one out-of-order message are refused alone; the others are accepted', async () => {
  const now = fr.ctx.clock.now();
  const good = [pingHeader(now), pingHeader(now), pingHeader(now)];
  const forged = pingHeader(now);
  const unsigned = pingHeader(now);
  const early = pingHeader(now, { requestId: uuidv7(), seq: 2 });
  const unsignedJws = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ header: unsigned, body: {} }),
  ).toString('base64url')}.`;
  const messages = [
    await sign(vn, good[0]!),
    await sign(de, forged),
    await sign(vn, good[1]!),
    unsignedJws,
    await sign(vn, early),
    await sign(vn, good[2]!),
  ];
  const reply = await postBatch(messages);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const receipt = await receiptOf(reply.body.receipt);
  assert.deepEqual(
    receipt.messages.map((m) => [m.messageId, m.outcome, m.outcome === 'refused' ? m.code : null]),
    [
      [good[0]!.id, 'accepted', null],
      [forged.id, 'refused', 'ERR_PEER_SIGNATURE'],
      [good[1]!.id, 'accepted', null],
      [unsigned.id, 'refused', 'ERR_PEER_SIGNATURE'],
      [early.id, 'refused', 'ERR_PEER_OUT_OF_ORDER'],
      [good[2]!.id, 'accepted', null],
    ],
  );
  const inbox = await fr.database.db
    .select({ id: federationInbox.messageId })
    .from(federationInbox)
    .where(
      inArray(
        federationInbox.messageId,
        [...good, forged, unsigned, early].map((h) => h.id),
      ),
    );
  assert.deepEqual(inbox.map((r) => r.id).sort(), good.map((h) => h.id).sort());
  assert.deepEqual(await audited('federation.receive', [forged.id, unsigned.id, early.id]), []);
  assert.deepEqual(
    await audited('federation.refuse', [forged.id, unsigned.id, early.id]),
    [forged.id, unsigned.id, early.id].sort(),
  );
});

test('the sender marks the accepted messages sent and the refused one a dead letter, from one receipt', async () => {
  const good = await queuePings(3);
  const [expired] = await queuePings(1, new Date(vn.ctx.clock.now().getTime() - 2 * 86_400_000));
  assert.equal(await vn.ctx.federation.sender.runOnce(), 4);
  const rows = await outboxRows([...good, expired!]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of good) assert.equal(byId.get(id)!.status, 'sent');
  const dead = byId.get(expired!)!;
  assert.equal(dead.status, 'dead');
  assert.equal(dead.lastErrorCode, 'ERR_PEER_EXPIRED');
  assert.equal(dead.receipt, null);
});

test('a batch delivered again is idempotent: each message is a duplicate, applied once', async () => {
  const now = fr.ctx.clock.now();
  const headers = [pingHeader(now), pingHeader(now), pingHeader(now)];
  const messages = await Promise.all(headers.map((h) => sign(vn, h)));
  const jwe = (await postBatch(messages)).jwe;
  const again = await postRaw(jwe);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  const receipt = await receiptOf(again.body.receipt);
  assert.deepEqual(
    receipt.messages.map((m) => m.outcome),
    ['duplicate', 'duplicate', 'duplicate'],
  );
  const ids = headers.map((h) => h.id);
  assert.deepEqual(await audited('federation.receive', ids), [...ids].sort());
  assert.deepEqual(await audited('federation.duplicate', ids), [...ids].sort());
  const [count] = await fr.database.db
    .select({ n: sql<number>`count(*)` })
    .from(federationInbox)
    .where(inArray(federationInbox.messageId, ids));
  assert.equal(Number(count!.n), 3);
  // The same id with another content, in a batch, is a replay: refused alone.
  const replay = await postBatch([
    await sign(vn, headers[0]!, { other: true }),
    await sign(vn, pingHeader(now)),
  ]);
  const outcomes = (await receiptOf(replay.body.receipt)).messages;
  assert.deepEqual(
    outcomes.map((m) => (m.outcome === 'refused' ? m.code : m.outcome)),
    ['ERR_PEER_REPLAY', 'accepted'],
  );
});

test('a batch that cannot be opened, or is for another node, is refused whole and audited', async () => {
  const refusals = async () => {
    const [row] = await fr.database.db
      .select({ n: sql<number>`count(*)` })
      .from(auditEntries)
      .where(eq(auditEntries.action, 'federation.refuse'));
    // Refusals of unproven senders beyond the first a minute are counted for a summary entry.
    return Number(row!.n) + fr.ctx.federation.inbox.countedRefusals();
  };
  const message = await sign(vn, pingHeader(fr.ctx.clock.now()));
  const { jwe } = await postBatch([message]);
  const before = await refusals();
  const parts = jwe.split('.');
  const ciphertext = Buffer.from(parts[3]!, 'base64url');
  ciphertext[3]! ^= 0x01;
  parts[3] = ciphertext.toString('base64url');
  const tampered = await postRaw(parts.join('.'));
  assert.equal(tampered.status, 400);
  assert.equal(tampered.body.code, 'ERR_PEER_ENVELOPE');
  const elsewhere = await postBatch([message], { to: 'DE' });
  assert.equal(elsewhere.status, 400);
  assert.equal(elsewhere.body.code, 'ERR_PEER_RECIPIENT');
  const unknown = await postBatch([message], { from: 'ZZ' });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.code, 'ERR_PEER_UNKNOWN');
  assert.equal(await refusals(), before + 3, 'each refusal audited or counted for a summary');
});

test('while the peer is down the batch stays queued; once it is back, every message arrives once', async () => {
  await fr.stop();
  const ids = await queuePings(6);
  assert.equal(await vn.ctx.federation.sender.runOnce(), 6);
  const failed = await outboxRows(ids);
  for (const row of failed) {
    assert.equal(row.status, 'pending');
    assert.equal(row.lastErrorCode, 'ERR_PEER_UNREACHABLE');
    assert.equal(row.attempts, 1);
  }
  fr = await fr.restart();
  await eventually(async () => {
    await vn.ctx.federation.sender.runOnce();
    const rows = await outboxRows(ids);
    return rows.every((r) => r.status === 'sent') ? true : undefined;
  }, 'the queued batch sent');
  assert.deepEqual(await audited('federation.receive', ids), [...ids].sort());
  const receipts = new Set((await outboxRows(ids)).map((r) => r.receipt));
  assert.ok(receipts.size >= 1 && receipts.size <= 6);
});

test('a message received in a batch, then sent again alone (its receipt lost), gets a single receipt the sender accepts', async () => {
  const ids = await queuePings(3);
  assert.equal(await vn.ctx.federation.sender.runOnce(), 3);
  const [first] = await outboxRows([ids[0]!]);
  // As when the sender dies after the receiver committed the batch: its claim lapses, the message is
  // due again, and alone it travels as a single delivery.
  await vn.database.db
    .update(federationOutbox)
    .set({ status: 'pending', receipt: null, claimedBy: null, nextAttemptAt: vn.ctx.clock.now() })
    .where(eq(federationOutbox.id, ids[0]!));
  assert.equal(await vn.ctx.federation.sender.runOnce(), 1);
  const [again] = await outboxRows([ids[0]!]);
  assert.equal(again!.status, 'sent', `${again!.lastErrorCode}: ${again!.lastError}`);
  const receipt = (await verifyJson(again!.receipt!, [fr.ctx.keyring.publicKeys().signing])) as Record<
    string,
    unknown
  >;
  assert.equal(receipt.type, 'receipt');
  assert.equal(receipt.messageId, ids[0]);
  assert.equal(receipt.payloadSha256, first!.payloadSha256);
  // The time it was first received, as the batch receipt says.
  assert.equal(receipt.receivedAt, (await receiptOf(first!.receipt)).receivedAt);
  assert.deepEqual(await audited('federation.receive', [ids[0]!]), [ids[0]!]);
  assert.deepEqual(await audited('federation.duplicate', [ids[0]!]), [ids[0]!]);
});
