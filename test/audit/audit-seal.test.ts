import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { appendAudit, ensureAuditState, sealAuditLog } from '../../src/audit/audit-log.ts';
import { deriveAuditSealKey, enableAuditSeal, SEALED_ACTION } from '../../src/audit/audit-seal.ts';
import { verifyAuditLog } from '../../src/audit/verify-audit.ts';
import { type Db, rowsOf } from '../../src/store/database.ts';
import { appendForged, resealLog } from '../helpers/audit-forgery.ts';
import { client } from '../helpers/http-client.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { DEMO_PASSWORD, startTestNode, TEST_KEY_SECRET } from '../helpers/test-node.ts';

// The seal of the audit log's state under the node's key secret (src/audit/audit-seal.ts): what a
// person who can write the database but lacks the secret can no longer do unseen, without witnesses.

const KEY = deriveAuditSealKey(TEST_KEY_SECRET);
const closing: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closing.splice(0)) await close().catch(() => {});
});

const entry = (i: number) => (tx: Db) =>
  appendAudit(
    tx,
    { actor: 'officer', action: 'test.step', objectType: 'thing', objectId: `t-${i}` },
    new Date(),
  );

async function freshDatabase() {
  const database = await createTestDatabase();
  closing.push(() => database.close());
  await database.migrate();
  await ensureAuditState(database.db);
  return database;
}

async function actions(db: Db): Promise<string[]> {
  return rowsOf<{ action: string }>(await db.execute(sql`SELECT action FROM audit_entries ORDER BY seq`)).map(
    (r) => r.action,
  );
}

test('a log written before seals is sealed once, with an entry saying so; a stripped seal is not sealed again', async () => {
  const database = await freshDatabase();
  const { db } = database;
  for (let i = 0; i < 3; i++) await db.transaction(entry(i)); // written without the secret: before seals
  enableAuditSeal(db, KEY);
  assert.equal(await sealAuditLog(db, new Date(), true), 'adopted');
  assert.deepEqual(await actions(db), ['test.step', 'test.step', 'test.step', SEALED_ACTION]);
  assert.equal(await sealAuditLog(db, new Date(), true), 'sealed');
  await db.transaction(entry(3));
  const intact = await verifyAuditLog(database, [], undefined, { sealKey: KEY });
  assert.deepEqual([intact.ok, intact.sealChecked, intact.entries], [true, true, 5]);

  // Someone strips the seal to have the log taken for one written before seals: it is not sealed over.
  await db.execute(sql`UPDATE audit_state SET seal = NULL WHERE id = 1`);
  assert.equal(await sealAuditLog(db, new Date(), true), 'forged');
  await assert.rejects(db.transaction(entry(4)), { code: 'ERR_AUDIT_FORGED' });
  const stripped = await verifyAuditLog(database, [], undefined, { sealKey: KEY });
  assert.equal(stripped.ok, false);
  assert.equal(stripped.firstProblem?.kind, 'FORGED');
  assert.match(stripped.firstProblem!.message, /carries no seal/);
});

test('an emptied log of a node that has keys is reported forged, not sealed afresh', async () => {
  const database = await freshDatabase();
  enableAuditSeal(database.db, KEY);
  assert.equal(await sealAuditLog(database.db, new Date(), true), 'forged');
  await assert.rejects(database.db.transaction(entry(0)), { code: 'ERR_AUDIT_FORGED' });
  // A node being created seals its empty log, the seal entry first.
  assert.equal(await sealAuditLog(database.db, new Date(), false), 'sealed');
  await database.db.transaction(entry(0));
  assert.deepEqual(await actions(database.db), [SEALED_ACTION, 'test.step']);
});

test('a forged append while the node runs: no write goes on top, nothing is signed over it, the guard says so', async () => {
  const node = await startTestNode({ seed: false, config: { treeHeadIntervalSeconds: 3600 } });
  closing.push(() => node.close());
  const admin = client(node.url);
  await node.ctx.users.addUser('test', { username: 'seal-admin', password: DEMO_PASSWORD, roles: ['ADMIN'] });
  assert.equal((await admin.login('seal-admin', DEMO_PASSWORD)).status, 200);
  const before = await node.ctx.audit.signTreeHead();

  const { db } = node.ctx.database;
  for (let i = 0; i < 3; i++) await appendForged(db);
  await resealLog(db);

  const write = await admin.post('/api/v1/users', {
    username: 'after-forgery',
    password: 'a-long-password-1',
    roles: ['AUDITOR'],
  });
  assert.equal(write.status, 503);
  assert.equal(write.body.code, 'ERR_AUDIT_FORGED');
  assert.match(write.headers.get('content-type') ?? '', /application\/problem\+json/);
  const head = await admin.get('/api/v1/audit/tree-head');
  assert.equal(head.status, 409);
  assert.equal(head.body.code, 'ERR_AUDIT_DIVERGED');
  const status = await admin.get('/api/v1/audit/witness/status');
  assert.equal(status.body.status, 'diverged');
  assert.equal(status.body.problem.kind, 'FORGED');
  const heads = await node.ctx.audit.listTreeHeads(10);
  assert.equal(heads[0]!.treeSize, before.treeSize);

  const verified = await admin.post('/api/v1/audit/verify');
  assert.equal(verified.body.ok, false);
  assert.equal(verified.body.firstProblem.kind, 'FORGED');
  assert.equal(verified.body.firstProblem.seq, before.treeSize + 1);
  // The alarm is chained after the forgery without sealing it.
  assert.deepEqual((await actions(db)).slice(-4), [
    'forged.entry',
    'forged.entry',
    'forged.entry',
    'audit.witness_diverged',
  ]);
});
