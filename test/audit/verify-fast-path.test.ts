// audit verify reads batches through a fast path (the database renders the leaf bytes) and falls back to
// the exact path on any anomaly. These tests cover what the fast path must not get wrong: awkward
// strings, batch boundaries, framing attacks through the hash columns, and the hex Merkle stack.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { nextChainHash } from '../../src/audit/audit-entry.ts';
import { appendAudit } from '../../src/audit/audit-log.ts';
import { foldStackHex, pushLeafHex } from '../../src/audit/hex-merkle-stack.ts';
import { type AuditEntryRow, verifyAuditLog } from '../../src/audit/verify-audit.ts';
import { checkSegment, readFastBatch } from '../../src/audit/verify-fast-batch.ts';
import { sha256 } from '../../src/crypto/hash.ts';
import { rootFromLeafHashes } from '../../src/crypto/merkle.ts';
import { cryptoHashing, hashingFor } from '../../src/crypto/native-audit-hash.ts';
import { rowsOf } from '../../src/store/database.ts';
import { emptyAuditLog, forgedLeaf } from '../helpers/audit-forgery.ts';
import { bareTestNode } from '../helpers/test-node.ts';

const node = bareTestNode();
const { db, keys } = node;

// Strings that JSON escapes, or that a byte-level reader could mistake for framing.
const AWKWARD = [
  'plain',
  'quote " and backslash \\',
  'tab\tnewline\ncarriage\r',
  'control \u0001\u001f',
  'accents é ü and CJK 漢字',
  'astral 😀 and separators \u2028\u2029',
  '","seq":1}',
];

async function reset(entries: number, text: (i: number) => string = (i) => `t-${i}`): Promise<void> {
  await emptyAuditLog(db());
  await append(1, entries, text);
}

async function append(first: number, last: number, text: (i: number) => string = (i) => `t-${i}`) {
  for (let i = first; i <= last; i++) {
    await db().transaction((tx) =>
      appendAudit(
        tx,
        {
          actor: text(i),
          action: 'test.change',
          objectType: 'thing',
          objectId: `id ${text(i + 1)}`,
          payload: { i },
        },
        new Date(Date.UTC(2026, 10, 25, 0, 0, i, i % 1000)),
      ),
    );
  }
}

const verifyIn = (batchSize: number) => verifyAuditLog(node.ctx.database, keys(), undefined, { batchSize });

describe('awkward strings', () => {
  beforeEach(() => reset(AWKWARD.length * 2, (i) => AWKWARD[i % AWKWARD.length]!));

  test('entries whose fields need JSON escaping verify, in any batch size', async () => {
    for (const batchSize of [1, 4, 16_384]) {
      const result = await verifyIn(batchSize);
      assert.equal(result.ok, true, `batch size ${batchSize}: ${JSON.stringify(result.firstProblem)}`);
      assert.equal(result.entries, AWKWARD.length * 2);
    }
  });

  test('they take the fast path: the database encodes them exactly as canonical JSON does', async () => {
    const batch = await readFastBatch(db(), 1, 1000);
    assert.ok(batch);
    for (const hashing of [cryptoHashing, hashingFor(true)]) {
      assert.equal(checkSegment(batch, 1, [], 1000, hashing)?.count, AWKWARD.length * 2);
    }
  });

  test('an altered entry among them is still named', async () => {
    await db().execute(sql`UPDATE audit_entries SET actor = actor || '"' WHERE seq = 6`);
    const result = await verifyIn(4);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [6, 'ALTERED']);
  });
});

describe('batch boundaries', () => {
  beforeEach(() => reset(40));

  test('the result is the same for every batch size, with tree heads inside and at the end of batches', async () => {
    await reset(20);
    await node.ctx.audit.signTreeHead();
    await append(21, 40);
    await node.ctx.audit.signTreeHead();
    const whole = await node.ctx.audit.verify();
    assert.equal(whole.ok, true);
    // 7 and 41 are rounded down to 4 and 32: batches always fall on whole Merkle subtrees.
    for (const batchSize of [1, 2, 4, 7, 8, 32, 41, 64]) {
      for (const hashWorkers of [0, 2]) {
        const result = await verifyAuditLog(node.ctx.database, keys(), undefined, { batchSize, hashWorkers });
        assert.deepEqual(
          [result.ok, result.entries, result.treeHeadsChecked, result.rootHash],
          [true, 40, 2, whole.rootHash],
          `batch size ${batchSize}, ${hashWorkers} workers`,
        );
      }
    }
  });

  test('a rewritten entry before a tree head inside a batch is named', async () => {
    await reset(20);
    await node.ctx.audit.signTreeHead();
    await append(21, 40);
    // Entry 18's leaf and chain are recomputed consistently, so only the tree head at 20 can catch it.
    const rows = rowsOf<AuditEntryRow>(
      await db().execute(sql`SELECT * FROM audit_entries WHERE seq >= 17 ORDER BY seq`),
    );
    let chain = rows[0]!.chain_hash;
    for (const row of rows.slice(1)) {
      const leaf = Number(row.seq) === 18 ? forgedLeaf(row) : row.leaf_hash;
      chain = nextChainHash(chain, leaf);
      await db().execute(
        sql`UPDATE audit_entries SET leaf_hash = ${leaf}, chain_hash = ${chain}, actor = ${Number(row.seq) === 18 ? 'forger' : row.actor} WHERE seq = ${row.seq}`,
      );
    }
    await db().execute(sql`UPDATE audit_state SET chain_head = ${chain} WHERE id = 1`);
    for (const batchSize of [8, 32]) {
      const result = await verifyIn(batchSize);
      assert.deepEqual(
        [result.firstProblem?.seq, result.firstProblem?.kind],
        [20, 'TREE_HEAD_MISMATCH'],
        `batch size ${batchSize}`,
      );
    }
  });

  test('an alteration in a later batch is named', async () => {
    await db().execute(sql`UPDATE audit_entries SET object_id = 'x' WHERE seq = 33`);
    const result = await verifyIn(8);
    assert.deepEqual(
      [result.firstProblem?.seq, result.firstProblem?.kind, result.entries],
      [33, 'ALTERED', 32],
    );
  });

  test('a deleted entry at the start of a batch is named', async () => {
    await db().execute(sql`DELETE FROM audit_entries WHERE seq = 17`);
    const result = await verifyIn(8);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [17, 'MISSING']);
  });

  test('entries deleted at the end of the last full batch are caught by the state row', async () => {
    await db().execute(sql`DELETE FROM audit_entries WHERE seq > 32`);
    const result = await verifyIn(8);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [33, 'STATE_MISMATCH']);
  });

  test('entries swapped across a batch boundary are caught at the first of them', async () => {
    await db().execute(sql`UPDATE audit_entries SET seq = -1 WHERE seq = 16`);
    await db().execute(sql`UPDATE audit_entries SET seq = 16 WHERE seq = 17`);
    await db().execute(sql`UPDATE audit_entries SET seq = 17 WHERE seq = -1`);
    const result = await verifyIn(8);
    assert.equal(result.ok, false);
    assert.equal(result.firstProblem?.seq, 16);
  });
});

describe('the hash columns cannot shift the framing', () => {
  beforeEach(() => reset(12));

  test('a tab or newline written into a stored hash is named at its entry', async () => {
    await db().execute(
      sql`UPDATE audit_entries SET leaf_hash = overlay(leaf_hash placing E'\t' from 10 for 1) WHERE seq = 4`,
    );
    await db().execute(
      sql`UPDATE audit_entries SET chain_hash = overlay(chain_hash placing E'\n' from 3 for 1) WHERE seq = 8`,
    );
    const result = await verifyIn(16);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [4, 'ALTERED']);
  });

  test('a deleted entry smuggled into the hash column of the one before is still missing', async () => {
    // The forger deletes entry 6 and writes a whole fast-path line for it into entry 5's leaf hash,
    // hoping a byte-level reader takes it for a row.
    const rows = rowsOf<any>(
      await db().execute(sql`SELECT * FROM audit_entries WHERE seq IN (5, 6) ORDER BY seq`),
    );
    const [five, six] = rows;
    const line = (r: any) =>
      `${r.leaf_hash}\t${r.chain_hash}\t{"action":${JSON.stringify(r.action)},"actor":${JSON.stringify(r.actor)},"at":"${new Date(r.at).toISOString()}","objectId":${JSON.stringify(r.object_id)},"objectType":${JSON.stringify(r.object_type)},"payloadHash":"${r.payload_hash}","seq":${Number(r.seq)}}\n`;
    const smuggled = `${line(five)}${line(six).slice(0, -1)}`;
    await db().execute(sql`DELETE FROM audit_entries WHERE seq = 6`);
    await db().execute(sql`UPDATE audit_entries SET leaf_hash = ${smuggled} WHERE seq = 5`);
    const result = await verifyIn(16);
    assert.equal(result.ok, false);
    assert.equal(result.firstProblem?.seq, 5);
    assert.equal(result.firstProblem?.kind, 'ALTERED');
  });

  test('a recomputed leaf hash still breaks the chain at that entry', async () => {
    const [row] = rowsOf<AuditEntryRow>(await db().execute(sql`SELECT * FROM audit_entries WHERE seq = 10`));
    assert.ok(row);
    const forged = forgedLeaf(row);
    await db().execute(sql`UPDATE audit_entries SET actor = 'forger', leaf_hash = ${forged} WHERE seq = 10`);
    const result = await verifyIn(2);
    assert.deepEqual([result.firstProblem?.seq, result.firstProblem?.kind], [10, 'REORDERED']);
  });
});

test('the hex Merkle stack roots every size exactly as the Buffer implementation does', () => {
  const leaves = Array.from({ length: 70 }, (_, i) => sha256(`leaf ${i}`));
  const stack: string[] = [];
  assert.equal(foldStackHex(stack), rootFromLeafHashes([]).toString('hex'));
  for (let i = 0; i < leaves.length; i++) {
    pushLeafHex(stack, i, leaves[i]!.toString('hex'));
    assert.equal(
      foldStackHex(stack),
      rootFromLeafHashes(leaves.slice(0, i + 1)).toString('hex'),
      `size ${i + 1}`,
    );
  }
});
