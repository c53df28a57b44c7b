import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { claimDue, enqueueMessage } from '../../src/federation/outbox-store.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import {
  auditEntries,
  federationInbox,
  federationOutbox,
  federationSequences,
} from '../../src/store/schema/index.ts';
import { eventually, linkNodes, type NetNode, startNetNode } from './federation-network.ts';

// The receiver is down while the sender queues messages; once it is back, every message arrives
// exactly once, and the messages of each request in order.
const MESSAGES = Number(process.env.FEDERATION_TEST_MESSAGES ?? 200);
const REQUESTS = 20;
let vn: NetNode;
let fr: NetNode;

const patient = { retry: { baseMs: 50, maxMs: 400, maxAttempts: 10_000 } };

before(async () => {
  [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', federation: patient }),
    startNetNode({ state: 'FR' }),
  ]);
  await linkNodes([vn, fr]);
});
after(async () => {
  await Promise.all([vn?.destroy(), fr?.destroy()]);
});

async function count(node: NetNode, query: Promise<{ n: number }[]>): Promise<number> {
  void node;
  const [row] = await query;
  return Number(row!.n);
}

test(`${MESSAGES} messages queued while the receiver is down all arrive once, in order per request`, async () => {
  await fr.stop();
  const requestIds = Array.from({ length: REQUESTS }, () => uuidv7());
  await vn.database.db.transaction(async (tx) => {
    for (let i = 0; i < MESSAGES; i++) {
      const requestId = requestIds[i % REQUESTS]!;
      await enqueueMessage(
        tx,
        { recipient: 'FR', type: 'ping', requestId, body: { i } },
        vn.ctx.clock.now(),
        3_600_000,
      );
    }
  });
  vn.ctx.federation.sender.nudge();
  // The sender tries, fails to connect, and backs off: the messages stay queued.
  await eventually(async () => {
    const [row] = await vn.database.db
      .select({ n: sql<number>`count(*)` })
      .from(federationOutbox)
      .where(eq(federationOutbox.lastErrorCode, 'ERR_PEER_UNREACHABLE'));
    return Number(row!.n) > 0 ? true : undefined;
  }, 'a failed attempt');

  fr = await fr.restart();
  await eventually(
    async () => {
      const [row] = await vn.database.db
        .select({ n: sql<number>`count(*)` })
        .from(federationOutbox)
        .where(eq(federationOutbox.status, 'sent'));
      return Number(row!.n) === MESSAGES ? true : undefined;
    },
    `all ${MESSAGES} messages sent`,
    120_000,
  );
  const inbox = await count(fr, fr.database.db.select({ n: sql<number>`count(*)` }).from(federationInbox));
  assert.equal(inbox, MESSAGES);
  const applied = await count(
    fr,
    fr.database.db
      .select({ n: sql<number>`count(*)` })
      .from(auditEntries)
      .where(eq(auditEntries.action, 'federation.receive')),
  );
  assert.equal(applied, MESSAGES, 'each message applied exactly once');
  const sequences = await fr.database.db.select().from(federationSequences);
  assert.deepEqual(
    sequences.map((s) => s.lastSeq),
    requestIds.map(() => MESSAGES / REQUESTS),
  );
  const dead = await vn.ctx.federation.listMessages('dead');
  assert.equal(dead.length, 0);
});

test('a message claimed by a sender that died is sent by another once its lease lapses, and received once', async () => {
  await vn.ctx.federation.stop();
  const id = await vn.database.db.transaction((tx) =>
    enqueueMessage(
      tx,
      { recipient: 'FR', type: 'ping', requestId: null, body: {} },
      vn.ctx.clock.now(),
      3_600_000,
    ),
  );
  const now = vn.ctx.clock.now();
  // The "crashed" sender claims the message for 300 ms and never sends it.
  const claimed = await claimDue(vn.database.db, 'crashed-sender', now, new Date(now.getTime() + 300), 10);
  assert.deepEqual(
    claimed.map((c) => c.id),
    [id],
  );
  vn.ctx.federation.start();
  const sent = await eventually(async () => {
    const [row] = await vn.database.db.select().from(federationOutbox).where(eq(federationOutbox.id, id));
    return row?.status === 'sent' ? row : undefined;
  }, 'the message sent by the live sender');
  assert.equal(sent.attempts, 2);
  assert.notEqual(sent.claimedBy, 'crashed-sender');
  const received = await fr.database.db
    .select()
    .from(federationInbox)
    .where(eq(federationInbox.messageId, id));
  assert.equal(received.length, 1);
});
