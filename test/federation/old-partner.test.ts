import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { verifyJson } from '../../src/crypto/node-keys.ts';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import type { Receipt } from '../../src/federation/receipts.ts';
import { BATCHES_PATH, MESSAGES_PATH } from '../../src/federation/sender-worker.ts';
import { uuidv7 } from '../../src/shared/ids.ts';
import {
  auditEntries,
  federationInbox,
  federationOutbox,
  federationSequences,
} from '../../src/store/schema/index.ts';
import { directoryFor, type NetNode, startNetNode } from './federation-network.ts';

// A partner of a version before batches: a real France node behind a real HTTP front that knows
// only POST /federation/v1/messages. Its batch route answers the node's own 404 (ERR_NO_ROUTE),
// as a node without that route does. The sender must fall back to single messages, lose none,
// send none twice, keep each request's order, and stop asking for batches for a while.
let vn: NetNode;
let fr: NetNode;
let front: OldPartner;

type Hit = { path: string; status: number };
type OldPartner = { url: string; hits: Hit[]; batches: boolean; server: Server };

/** A real HTTP server in front of `target`: forwards every call, except batches while `batches` is false. */
async function oldPartner(target: () => string): Promise<OldPartner> {
  const partner: OldPartner = { url: '', hits: [], batches: false, server: createServer() };
  partner.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const path = req.url ?? '/';
      // Without batches, the batch path goes to one the node does not serve: its answer is the
      // node's real not-found problem, not one made up here.
      const forwardPath = path === BATCHES_PATH && !partner.batches ? '/federation/v0/no-batches' : path;
      try {
        const answer = await fetch(target() + forwardPath, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
          body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await answer.arrayBuffer());
        partner.hits.push({ path, status: answer.status });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
        });
        res.end(body);
      } catch (error) {
        partner.hits.push({ path, status: 502 });
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end((error as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => partner.server.listen(0, '127.0.0.1', resolve));
  partner.url = `http://127.0.0.1:${(partner.server.address() as AddressInfo).port}`;
  return partner;
}

before(async () => {
  [vn, fr] = await Promise.all([
    startNetNode({ state: 'VN', federation: { retry: { baseMs: 20, maxMs: 50, maxAttempts: 1000 } } }),
    startNetNode({ state: 'FR' }),
  ]);
  front = await oldPartner(() => fr.url);
  // Both nodes' directory lists France at the front's URL: Viet Nam reaches France only through it.
  const document = directoryFor([vn, fr]);
  const france = document.parties.find((p) => p.code === 'FR')!;
  france.authorities.find((a) => a.kind === 'POINT_24_7')!.node!.url = front.url;
  for (const node of [vn, fr]) await node.ctx.directory.importDocument('test', document, 'test');
  // Rounds are run by hand, so each claim is known: the background sender would take them at once.
  await vn.ctx.federation.stop();
});
after(async () => {
  await new Promise((resolve) => front?.server.close(resolve));
  await Promise.all([vn?.destroy(), fr?.destroy()]);
});

/** Runs sender rounds until nothing is due; fails past the deadline. Returns each round's count. */
async function drain(deadlineMs = 15_000): Promise<number[]> {
  const counts: number[] = [];
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const handled = await vn.ctx.federation.sender.runOnce();
    if (handled === 0) return counts;
    counts.push(handled);
  }
  throw new Error(`the outbox was not drained: ${counts.join(',')}`);
}

/** Messages for France: `perRequest` steps of each of `requests` requests, and `loose` pings without one. */
async function queue(requests: number, perRequest: number, loose: number) {
  const requestIds = Array.from({ length: requests }, () => uuidv7());
  const now = vn.ctx.clock.now();
  const ids = await vn.database.db.transaction(async (tx) => {
    const out: string[] = [];
    for (let step = 1; step <= perRequest; step++)
      for (const requestId of requestIds)
        out.push(
          await enqueueMessage(
            tx,
            { recipient: 'FR', type: 'ping', requestId, body: { step } },
            now,
            3_600_000,
          ),
        );
    for (let i = 0; i < loose; i++)
      out.push(
        await enqueueMessage(
          tx,
          { recipient: 'FR', type: 'ping', requestId: null, body: { i } },
          now,
          3_600_000,
        ),
      );
    return out;
  });
  return { ids, requestIds };
}

const outboxRows = (ids: string[]) =>
  vn.database.db.select().from(federationOutbox).where(inArray(federationOutbox.id, ids));

const hitsOf = (path: string, from = 0) => front.hits.slice(from).filter((h) => h.path === path);

test('a partner without batches (404) gets every message singly, once each and in order per request', async () => {
  const { ids, requestIds } = await queue(4, 3, 3);
  // Each round takes only the first pending step of a request: 4 first steps and 3 pings, then the
  // second steps, then the third. Every round has several messages for France, so each would be a batch.
  assert.deepEqual(await drain(), [7, 4, 4]);

  // One batch was tried and refused with the node's 404; the sender remembered it, and the next
  // rounds went straight to single messages: one POST per message, each accepted.
  const batches = hitsOf(BATCHES_PATH);
  assert.deepEqual(batches, [{ path: BATCHES_PATH, status: 404 }]);
  const singles = hitsOf(MESSAGES_PATH);
  assert.equal(singles.length, ids.length);
  assert.ok(singles.every((h) => h.status === 200));

  // The 404 was not a failed attempt: each message claimed once, sent with its own signed receipt.
  const rows = await outboxRows(ids);
  assert.equal(rows.length, ids.length);
  const frKeys = [fr.ctx.keyring.publicKeys().signing];
  for (const row of rows) {
    assert.equal(row.status, 'sent', `${row.id}: ${row.lastErrorCode} ${row.lastError}`);
    assert.equal(row.attempts, 1);
    assert.equal(row.lastErrorCode, null);
    const receipt = (await verifyJson(row.receipt!, frKeys)) as Receipt;
    assert.equal(receipt.type, 'receipt');
    assert.equal(receipt.messageId, row.id);
    assert.equal(receipt.payloadSha256, row.payloadSha256);
  }
  assert.equal(new Set(rows.map((r) => r.receipt)).size, ids.length, 'one receipt per message');

  // France holds each message once, applied once and refused never.
  const inbox = await fr.database.db
    .select({ id: federationInbox.messageId })
    .from(federationInbox)
    .where(inArray(federationInbox.messageId, ids));
  assert.deepEqual(inbox.map((r) => r.id).sort(), [...ids].sort());
  const audit = await fr.database.db
    .select({ id: auditEntries.objectId, action: auditEntries.action })
    .from(auditEntries)
    .where(inArray(auditEntries.objectId, ids))
    .orderBy(asc(auditEntries.seq));
  assert.deepEqual(
    audit.map((a) => a.action).sort(),
    ids.map(() => 'federation.receive'),
  );
  assert.deepEqual(audit.map((a) => a.id).sort(), [...ids].sort());

  // In order: the audit log (gap-free, in commit order) applied each request's steps 1, 2, 3.
  const seqOf = new Map(rows.map((r) => [r.id, r.seq]));
  const requestOf = new Map(rows.map((r) => [r.id, r.requestId]));
  for (const requestId of requestIds) {
    const applied = audit.filter((a) => requestOf.get(a.id) === requestId).map((a) => seqOf.get(a.id));
    assert.deepEqual(applied, [1, 2, 3], `request ${requestId}`);
    const [sequence] = await fr.database.db
      .select({ last: federationSequences.lastSeq })
      .from(federationSequences)
      .where(and(eq(federationSequences.peer, 'VN'), eq(federationSequences.requestId, requestId)));
    assert.equal(sequence?.last, 3);
  }
});

test('after the partner is upgraded, a restarted sender sends batches to it again', async () => {
  // The memory of "no batches" is the sender's own (for ten minutes): a restart forgets it.
  front.batches = true;
  await vn.stop();
  vn = await vn.restart();
  await vn.ctx.federation.stop();
  const from = front.hits.length;
  const { ids } = await queue(0, 0, 5);
  assert.deepEqual(await drain(), [5]);
  assert.deepEqual(hitsOf(BATCHES_PATH, from), [{ path: BATCHES_PATH, status: 200 }]);
  assert.deepEqual(hitsOf(MESSAGES_PATH, from), []);
  const rows = await outboxRows(ids);
  assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
  assert.equal(new Set(rows.map((r) => r.receipt)).size, 1, 'one batch receipt for all five');
});
