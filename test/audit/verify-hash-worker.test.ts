// audit verify hashes batches after the first in a worker thread (by default on PGlite). These tests run
// the worker path on either back end: same results as hashing on the main thread, tampering still named
// by the exact path, a failing worker reported as a failure rather than a hang, timestamps of every form.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../../src/audit/audit-log.ts';
import { verifyAuditLog } from '../../src/audit/verify-audit.ts';
import { checkSegment, readFastBatch } from '../../src/audit/verify-fast-batch.ts';
import { hashingFor } from '../../src/crypto/native-audit-hash.ts';
import { emptyAuditLog } from '../helpers/audit-forgery.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

let node: TestNode;
before(async () => {
  node = await startTestNode({ seed: false });
});
after(() => node.close());

const db = () => node.ctx.database.db;

async function reset(times: Date[]): Promise<void> {
  await emptyAuditLog(db());
  for (const [i, at] of times.entries()) {
    await db().transaction((tx) =>
      appendAudit(
        tx,
        {
          actor: `actor ${i}`,
          action: 'test.change',
          objectType: 'thing',
          objectId: `id ${i}`,
          payload: { i },
        },
        at,
      ),
    );
  }
}

const verifyWith = (hashWorkers: number, extra: { hashWorkerUrl?: URL } = {}) =>
  verifyAuditLog(node.ctx.database, node.ctx.keyring.verificationKeys(), undefined, {
    batchSize: 8,
    hashWorkers,
    ...extra,
  });

describe('the worker path', () => {
  beforeEach(() =>
    reset(Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 10, 25, 0, 0, i, i * 10)))),
  );

  test('gives the same result as hashing on this thread, tree heads included', async () => {
    await node.ctx.audit.signTreeHead();
    const onThread = await verifyWith(0);
    assert.equal(onThread.ok, true, JSON.stringify(onThread.firstProblem));
    assert.equal(onThread.treeHeadsChecked, 1);
    for (const workers of [1, 2, 3])
      assert.deepEqual(await verifyWith(workers), onThread, `${workers} workers`);
  });

  test('an alteration in a batch the worker hashes is named', async () => {
    await db().execute(sql`UPDATE audit_entries SET object_id = 'x' WHERE seq = 33`);
    const result = await verifyWith(2);
    assert.deepEqual(
      [result.firstProblem?.seq, result.firstProblem?.kind, result.entries],
      [33, 'ALTERED', 32],
    );
  });

  test('a deleted entry in a batch the worker hashes is named', async () => {
    await db().execute(sql`DELETE FROM audit_entries WHERE seq = 22`);
    const result = await verifyWith(2);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [22, 'MISSING']);
  });

  test('an entry rewritten before a signed tree head is named in a batch the worker hashes', async () => {
    await node.ctx.audit.signTreeHead();
    await db().execute(sql`UPDATE audit_entries SET actor = 'forger' WHERE seq = 12`);
    const result = await verifyWith(2);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [12, 'ALTERED']);
  });

  test('a worker that throws fails the verification with a clear error', { timeout: 30_000 }, async () => {
    await assert.rejects(
      verifyWith(2, { hashWorkerUrl: new URL('./fixtures/throwing-hash-worker.ts', import.meta.url) }),
      /hash worker failed \(this worker always fails\)/,
    );
  });

  test('a worker that exits without answering fails the verification', { timeout: 30_000 }, async () => {
    await assert.rejects(
      verifyWith(2, { hashWorkerUrl: new URL('./fixtures/exiting-hash-worker.ts', import.meta.url) }),
      /hash worker failed \(it exited with code 3\)/,
    );
  });
});

test('times at whole seconds, with trailing zeros and in early years verify on both paths', async () => {
  const times = [
    new Date(Date.UTC(2026, 10, 25, 0, 0, 0, 0)),
    new Date(Date.UTC(2026, 10, 25, 0, 0, 1, 100)),
    new Date(Date.UTC(2026, 10, 25, 0, 0, 2, 120)),
    new Date(Date.UTC(2026, 10, 25, 0, 0, 3, 999)),
    new Date('0005-03-01T12:00:00.007Z'),
    new Date('9999-12-31T23:59:59.999Z'),
  ];
  await reset([...times, ...times, ...times]);
  const batch = await readFastBatch(db(), 1, 100);
  assert.ok(batch);
  assert.equal(checkSegment(batch, 1, [], 100, hashingFor(true))?.count, 18, 'the fast path takes them all');
  for (const hashWorkers of [0, 2]) {
    const result = await verifyWith(hashWorkers);
    assert.equal(result.ok, true, `${hashWorkers} workers: ${JSON.stringify(result.firstProblem)}`);
    assert.equal(result.entries, 18);
  }
});
