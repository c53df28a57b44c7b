import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { appendAudit, gatherAudit } from '../../src/audit/audit-log.ts';
import type { AuditEntryRow } from '../../src/audit/verify-audit.ts';
import { verifyConsistency, verifyInclusion } from '../../src/crypto/merkle.ts';
import { verifyJson } from '../../src/crypto/node-keys.ts';
import { rowsOf } from '../../src/store/database.ts';
import { emptyAuditLog, forgedLeaf } from '../helpers/audit-forgery.ts';
import { client } from '../helpers/http-client.ts';
import { DEMO_PASSWORD, startTestNode, type TestNode } from '../helpers/test-node.ts';

let node: TestNode;
before(async () => {
  // The tests sign tree heads themselves: the background signer (every 10 s by default) would sign
  // a log that a test is rewriting, at a size of its own, on a machine slow enough.
  node = await startTestNode({ seed: false, config: { treeHeadIntervalSeconds: 86_400 } });
});
after(() => node.close());

const db = () => node.ctx.database.db;

async function reset(entries: number): Promise<void> {
  await emptyAuditLog(db());
  for (let i = 1; i <= entries; i++) {
    await db().transaction((tx) =>
      appendAudit(
        tx,
        {
          actor: `user-${i % 3}`,
          action: 'test.change',
          objectType: 'thing',
          objectId: `t-${i}`,
          payload: { n: i },
        },
        new Date(Date.UTC(2026, 10, 25, 0, 0, i)),
      ),
    );
  }
}

describe('append and verify', () => {
  beforeEach(() => reset(40));

  test('an intact log verifies, with its signed tree heads', async () => {
    await node.ctx.audit.signTreeHead();
    const result = await node.ctx.audit.verify();
    assert.equal(result.ok, true);
    assert.equal(result.entries, 40);
    assert.equal(result.treeHeadsChecked, 1);
  });

  test('an entry whose row was altered is named', async () => {
    await db().execute(sql`UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 17`);
    const result = await node.ctx.audit.verify();
    assert.equal(result.ok, false);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [17, 'ALTERED']);
  });

  test('an altered entry whose leaf hash was recomputed breaks the chain at that entry', async () => {
    const [row] = rowsOf<AuditEntryRow>(await db().execute(sql`SELECT * FROM audit_entries WHERE seq = 9`));
    assert.ok(row);
    const forged = forgedLeaf(row);
    await db().execute(sql`UPDATE audit_entries SET actor = 'forger', leaf_hash = ${forged} WHERE seq = 9`);
    const result = await node.ctx.audit.verify();
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [9, 'REORDERED']);
  });

  test('a deleted entry is named', async () => {
    await db().execute(sql`DELETE FROM audit_entries WHERE seq = 23`);
    const result = await node.ctx.audit.verify();
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [23, 'MISSING']);
  });

  test('deleting the newest entries is caught by the state row', async () => {
    await db().execute(sql`DELETE FROM audit_entries WHERE seq > 38`);
    const result = await node.ctx.audit.verify();
    assert.equal(result.ok, false);
    assert.equal(result.firstProblem?.seq, 39);
  });

  test('two swapped entries are caught at the first of them', async () => {
    await db().execute(sql`UPDATE audit_entries SET seq = -1 WHERE seq = 5`);
    await db().execute(sql`UPDATE audit_entries SET seq = 5 WHERE seq = 6`);
    await db().execute(sql`UPDATE audit_entries SET seq = 6 WHERE seq = -1`);
    const result = await node.ctx.audit.verify();
    assert.equal(result.ok, false);
    assert.equal(result.firstProblem?.seq, 5);
  });

  test('a whole rewrite with consistent hashes is caught by the signed tree head', async () => {
    await node.ctx.audit.signTreeHead();
    // Rebuild the log from scratch with one entry changed, recomputing every hash: only the signature can tell.
    const rows = rowsOf<any>(await db().execute(sql`SELECT * FROM audit_entries ORDER BY seq`));
    await emptyAuditLog(db(), false);
    for (const r of rows) {
      await db().transaction((tx) =>
        appendAudit(
          tx,
          {
            actor: Number(r.seq) === 3 ? 'rewritten' : r.actor,
            action: r.action,
            objectType: r.object_type,
            objectId: r.object_id,
            payload: { n: Number(r.seq) },
          },
          new Date(r.at),
        ),
      );
    }
    const result = await node.ctx.audit.verify();
    assert.equal(result.ok, false);
    assert.equal(result.firstProblem?.kind, 'TREE_HEAD_MISMATCH');
    assert.equal(result.firstProblem?.seq, 40);
  });

  test('a forged tree head signature is caught', async () => {
    await node.ctx.audit.signTreeHead();
    await db().execute(
      // The last base64url character of a 64-byte signature carries padding bits, so flip one well inside it.
      sql`UPDATE audit_tree_heads SET jws = overlay(jws placing CASE WHEN substr(jws, length(jws) - 10, 1) = 'A' THEN 'B' ELSE 'A' END from length(jws) - 10 for 1)`,
    );
    const result = await node.ctx.audit.verify();
    assert.equal(result.firstProblem?.kind, 'TREE_HEAD_SIGNATURE');
  });
});

describe('proofs over the API', () => {
  before(() => reset(25));

  test('the signed tree head, inclusion and consistency proofs verify', async () => {
    const api = client(node.url);
    await node.ctx.users.addUser('test', {
      username: 'oversight',
      password: 'oversight-pass-1',
      roles: ['AUDITOR'],
    });
    assert.equal((await api.login('oversight', 'oversight-pass-1')).status, 200);
    const sthSmall = await node.ctx.audit.signTreeHead();
    assert.ok(sthSmall.treeSize >= 25);
    await node.ctx.database.db.transaction((tx) =>
      appendAudit(tx, { actor: 'a', action: 'b', objectType: 'c', objectId: 'd' }, new Date()),
    );
    const sth = (await api.get('/api/v1/audit/tree-head')).body;
    assert.ok(sth.treeSize > sthSmall.treeSize);
    const claims = (await verifyJson(sth.jws, node.ctx.keyring.verificationKeys())) as any;
    assert.equal(claims.rootHash, sth.rootHash);

    const proof = (await api.get(`/api/v1/audit/proofs/inclusion?seq=7&treeSize=${sth.treeSize}`)).body;
    const ok = verifyInclusion(
      6,
      sth.treeSize,
      Buffer.from(proof.leafHash, 'hex'),
      proof.auditPath.map((h: string) => Buffer.from(h, 'hex')),
      Buffer.from(sth.rootHash, 'hex'),
    );
    assert.equal(ok, true);
    const bad = verifyInclusion(
      7,
      sth.treeSize,
      Buffer.from(proof.leafHash, 'hex'),
      proof.auditPath.map((h: string) => Buffer.from(h, 'hex')),
      Buffer.from(sth.rootHash, 'hex'),
    );
    assert.equal(bad, false);

    const consistency = (
      await api.get(`/api/v1/audit/proofs/consistency?first=${sthSmall.treeSize}&second=${sth.treeSize}`)
    ).body;
    assert.equal(
      verifyConsistency(
        sthSmall.treeSize,
        sth.treeSize,
        Buffer.from(sthSmall.rootHash, 'hex'),
        Buffer.from(sth.rootHash, 'hex'),
        consistency.consistencyPath.map((h: string) => Buffer.from(h, 'hex')),
      ),
      true,
    );
    const tooBig = await api.get(`/api/v1/audit/proofs/inclusion?seq=1&treeSize=${sth.treeSize + 100}`);
    assert.equal(tooBig.status, 400);
    assert.equal(tooBig.body.errors[0].field, 'querystring/treeSize');
  });

  test('entries hold hashes, never the payload', async () => {
    const api = client(node.url);
    await api.login('oversight', 'oversight-pass-1');
    const page = (await api.get('/api/v1/audit/entries?limit=5')).body;
    assert.equal(page.items.length, 5);
    assert.equal(page.next, 5);
    for (const entry of page.items) assert.match(entry.payloadHash, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(page), new RegExp(DEMO_PASSWORD));
  });
});

describe('appends gathered in one transaction', () => {
  const input = (i: number) => ({
    actor: `user-${i % 3}`,
    action: 'test.change',
    objectType: 'thing',
    objectId: `t-${i}`,
    payload: { n: i },
  });
  const at = (i: number) => new Date(Date.UTC(2026, 10, 25, 0, 0, i));
  const stored = async () =>
    rowsOf<{ seq: number; leaf_hash: string; chain_hash: string }>(
      await db().execute(sql`SELECT seq, leaf_hash, chain_hash FROM audit_entries ORDER BY seq`),
    ).map((r) => [Number(r.seq), r.leaf_hash, r.chain_hash]);

  test('give the same entries, hashes and root as appending one by one, and verify', async () => {
    await reset(40);
    const oneByOne = await stored();
    const rootOneByOne = (await node.ctx.audit.signTreeHead()).rootHash;
    await reset(3);
    // Concurrent appends in one gathering still take consecutive numbers, in the order they were made.
    const seqs = await db().transaction((tx) =>
      gatherAudit(tx, async () => {
        const first = await Promise.all([4, 5, 6].map((i) => appendAudit(tx, input(i), at(i))));
        const rest: number[] = [];
        for (let i = 7; i <= 40; i++) rest.push(await appendAudit(tx, input(i), at(i)));
        return [...first, ...rest];
      }),
    );
    assert.deepEqual(
      seqs,
      Array.from({ length: 37 }, (_, k) => k + 4),
    );
    assert.deepEqual(await stored(), oneByOne);
    assert.equal((await node.ctx.audit.signTreeHead()).rootHash, rootOneByOne);
    const result = await node.ctx.audit.verify();
    assert.equal(result.ok, true);
    assert.equal(result.entries, 40);
  });

  test('leave nothing behind when the transaction fails, and appends go on from where they were', async () => {
    await reset(5);
    await assert.rejects(
      db().transaction((tx) =>
        gatherAudit(tx, async () => {
          for (let i = 6; i <= 9; i++) await appendAudit(tx, input(i), at(i));
          throw new Error('the change could not be made');
        }),
      ),
      /could not be made/,
    );
    assert.equal((await stored()).length, 5);
    assert.equal(await db().transaction((tx) => appendAudit(tx, input(6), at(6))), 6);
    assert.equal((await node.ctx.audit.verify()).ok, true);
  });
});
