import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import { openDatabase } from '../../src/store/database.ts';
import { auditEntries, federationInbox, federationOutbox as outbox } from '../../src/store/schema/index.ts';
import { eventually, linkNodes, type NetNode, startNetNode } from './federation-network.ts';

// Scale-out: two replicas of the VN node on one PostgreSQL database both run the sender; every
// outbox message is claimed (FOR UPDATE SKIP LOCKED) and delivered by exactly one of them.
const skip = process.env.DATABASE_URL
  ? false
  : 'needs PostgreSQL: two replicas share one database, which embedded PGlite cannot (set DATABASE_URL)';
const MESSAGES = 200;
// Small batches, so both replicas are busy at once.
const small = { batchSize: 8 };
let vn1: NetNode;
let vn2: NetNode;
let fr: NetNode;

before(async () => {
  if (skip) return;
  [vn1, fr] = await Promise.all([
    startNetNode({ state: 'VN', federation: small }),
    startNetNode({ state: 'FR' }),
  ]);
  // The second replica: the same database through its own connection pool, the same keys.
  const shared = Object.assign(await openDatabase({ databaseUrl: vn1.database.url, poolSize: 5 }), {
    url: vn1.database.url,
  });
  // Replicas share the wall clock: a clock of its own, set later, would see every message as not yet due.
  vn2 = await startNetNode({ state: 'VN', database: shared, federation: small, clock: vn1.ctx.clock });
  await linkNodes([vn1, fr]);
});
after(async () => {
  if (skip) return;
  await vn2?.destroy();
  await Promise.all([vn1?.destroy(), fr?.destroy()]);
});

test('two replicas deliver every outbox message exactly once', { skip }, async () => {
  await vn1.database.db.transaction(async (tx) => {
    for (let i = 0; i < MESSAGES; i++) {
      await enqueueMessage(
        tx,
        { recipient: 'FR', type: 'ping', requestId: uuidv7(), body: { i } },
        vn1.ctx.clock.now(),
        3_600_000,
      );
    }
  });
  vn1.ctx.federation.sender.nudge();
  vn2.ctx.federation.sender.nudge();
  await eventually(
    async () => {
      const [row] = await vn1.database.db
        .select({ n: sql<number>`count(*)` })
        .from(outbox)
        .where(eq(outbox.status, 'sent'));
      return Number(row!.n) === MESSAGES ? true : undefined;
    },
    'every message sent',
    60_000,
  );
  const rows = await vn1.database.db.select().from(outbox);
  assert.ok(
    rows.every((r) => r.attempts === 1),
    'no message was sent twice',
  );
  const byWorker = new Map<string, number>();
  for (const r of rows) byWorker.set(r.claimedBy!, (byWorker.get(r.claimedBy!) ?? 0) + 1);
  assert.equal(byWorker.size, 2, `both replicas worked: ${JSON.stringify([...byWorker])}`);
  const [inbox] = await fr.database.db.select({ n: sql<number>`count(*)` }).from(federationInbox);
  assert.equal(Number(inbox!.n), MESSAGES);
  const [duplicates] = await fr.database.db
    .select({ n: sql<number>`count(*)` })
    .from(auditEntries)
    .where(eq(auditEntries.action, 'federation.duplicate'));
  assert.equal(Number(duplicates!.n), 0);
});
