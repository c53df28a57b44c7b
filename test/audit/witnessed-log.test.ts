import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../src/audit/audit-log.ts';
import { deriveAuditSealKey } from '../../src/audit/audit-seal.ts';
import { signCheckpoint } from '../../src/audit/checkpoint.ts';
import { WITNESS_ADD_PATH } from '../../src/audit/cosignatures.ts';
import { verifyAuditLog } from '../../src/audit/verify-audit.ts';
import { verifyWithWitnesses } from '../../src/audit/verify-witnessed.ts';
import { verifyJson } from '../../src/crypto/node-keys.ts';
import type { Db } from '../../src/store/database.ts';
import { rowsOf } from '../../src/store/database.ts';
import { auditCosignatures, auditEntries, federationOutbox } from '../../src/store/schema/index.ts';
import {
  apiAs,
  eventually,
  linkNodes,
  type NetNode,
  startNetNode,
} from '../federation/federation-network.ts';
import { appendForged, deleteAndRenumber, deleteHeadsAbove, resealLog } from '../helpers/audit-forgery.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';

// A node's audit log witnessed by two partner nodes, then tampered with by someone who can write its
// database and recomputes every hash (resealLog): each kind of tampering passes the check inside the
// database alone, and is caught against what the witnesses cosigned, at start and by `audit verify`.

const started: NetNode[] = [];
/** Generous: the machine running the suite may be loaded. */
const DEADLINE = 90_000;
// Each test's nodes go when it ends: a file's worth of open nodes (a pool each) exhausted
// PostgreSQL's connections ("too many clients") on a loaded run.
afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.destroy().catch(() => {})));
});

async function network(states: string[], env: Record<string, string> = {}): Promise<NetNode[]> {
  const nodes = await Promise.all(states.map((state) => startNetNode({ state, env })));
  started.push(...nodes);
  await linkNodes(nodes);
  return nodes;
}

async function appendEntries(node: NetNode, count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await node.ctx.database.db.transaction((tx) =>
      appendAudit(
        tx,
        { actor: 'officer', action: 'test.step', objectType: 'request', objectId: `r-${i}`, payload: { i } },
        node.ctx.clock.now(),
      ),
    );
}

async function cosignedBy(db: Db, witness: string, size: number): Promise<boolean> {
  const rows = await db
    .select()
    .from(auditCosignatures)
    .where(and(eq(auditCosignatures.witness, witness), eq(auditCosignatures.treeSize, size)));
  return rows.length > 0;
}

/** Appends entries, signs a checkpoint and waits until every witness has cosigned it; returns its size. */
async function witnessed(node: NetNode, witnesses: readonly NetNode[], entries: number): Promise<number> {
  await appendEntries(node, entries);
  const head = await node.ctx.audit.signTreeHead();
  assert.ok(head.checkpoint?.startsWith(`hanoi247/${node.state}/audit-log\n${head.treeSize}\n`));
  await eventually(
    async () => {
      await node.ctx.witnessing.publisher.publish(head);
      for (const w of witnesses)
        if (!(await cosignedBy(node.ctx.database.db, w.state, head.treeSize))) return;
      return true;
    },
    `cosignatures of ${head.treeSize} by ${witnesses.map((w) => w.state).join(', ')}`,
    DEADLINE,
  );
  return head.treeSize;
}

type Tampering = {
  name: string;
  /**
   * The kinds the start-up guard and `audit verify` may name. The node's own timer may have had the
   * unwitnessed tail cosigned too, by then: a renumbered log is then shorter than what was witnessed.
   */
  guard: ('TRUNCATED' | 'REWRITTEN' | 'FORGED')[];
  verify: ('TRUNCATED' | 'WITNESS_MISMATCH' | 'FORGED')[];
  tamper(db: Db, witnessedSize: number): Promise<void>;
};

const TAMPERINGS: Tampering[] = [
  {
    name: 'tail cut with the heads above deleted',
    guard: ['TRUNCATED'],
    verify: ['TRUNCATED'],
    async tamper(db, size) {
      await db.execute(sql`DELETE FROM audit_entries WHERE seq > ${size - 4}`);
      await deleteHeadsAbove(db, size - 4);
    },
  },
  {
    name: 'an entry rewritten with every hash recomputed',
    guard: ['REWRITTEN'],
    verify: ['WITNESS_MISMATCH'],
    async tamper(db) {
      await db.execute(sql`UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 3`);
      await deleteHeadsAbove(db, 2);
    },
  },
  {
    name: 'an entry deleted and the rest renumbered',
    guard: ['REWRITTEN', 'TRUNCATED'],
    verify: ['WITNESS_MISMATCH', 'TRUNCATED'],
    async tamper(db) {
      await deleteAndRenumber(db, 3);
      await deleteHeadsAbove(db, 2);
    },
  },
  {
    name: 'forged entries appended over a cut tail',
    guard: ['REWRITTEN'],
    verify: ['WITNESS_MISMATCH'],
    async tamper(db, size) {
      await db.execute(sql`DELETE FROM audit_entries WHERE seq > ${size - 2}`);
      for (let i = 0; i < 8; i++) await appendForged(db);
      await deleteHeadsAbove(db, size - 2);
    },
  },
  {
    // Nothing below the witnessed checkpoint changes: only the seal of the node's secret tells.
    name: 'forged entries appended after the newest witnessed checkpoint',
    guard: ['FORGED'],
    verify: ['FORGED'],
    async tamper(db) {
      for (let i = 0; i < 3; i++) await appendForged(db);
    },
  },
  {
    name: 'every signed head and cosignature deleted',
    guard: ['TRUNCATED'],
    // By the time of `audit verify` the restarted node has appended past the cut again (its alarm,
    // an account): those entries differ from the witnessed ones.
    verify: ['TRUNCATED', 'WITNESS_MISMATCH'],
    async tamper(db, size) {
      await db.execute(sql`DELETE FROM audit_entries WHERE seq > ${size - 1}`);
      await deleteHeadsAbove(db, 0);
    },
  },
];

for (const tampering of TAMPERINGS) {
  test(`witnesses catch ${tampering.name}; the node refuses to sign over it`, async () => {
    const [vn, fr] = await network(['VN', 'FR']);
    const size = await witnessed(vn!, [fr!], 20);
    await appendEntries(vn!, 5); // not yet witnessed: a cut there is only a STATE/heads matter
    // Signed in before the tampering: a forged log takes no new account (appends refuse it).
    const admin = await apiAs(vn!, 'auditor-admin', ['ADMIN']);
    await vn!.stop();
    const { db } = vn!.database;
    await tampering.tamper(db, size);
    await resealLog(db);

    // Inside the database alone, the forgery passes: this is what the attack review found. The seal
    // of the node's secret, which the database does not hold, catches it without any witness.
    const keys = vn!.ctx.keyring.verificationKeys();
    const alone = await verifyAuditLog(vn!.database, keys);
    assert.equal(alone.ok, true, JSON.stringify(alone.firstProblem));
    const sealed = await verifyAuditLog(vn!.database, keys, undefined, {
      sealKey: deriveAuditSealKey(TEST_KEY_SECRET),
    });
    assert.equal(sealed.ok, false);
    assert.equal(sealed.firstProblem?.kind, 'FORGED');

    const node = await vn!.restart();
    started.push(node);
    const state = await eventually(
      async () => {
        const s = node.ctx.witnessing.guard.status();
        return s.status === 'diverged' ? s : undefined;
      },
      'the guard to find the log diverged',
      DEADLINE,
    );
    assert.ok(tampering.guard.includes(state.problem!.kind), state.problem!.message);
    await assert.rejects(node.ctx.audit.signTreeHead(), { code: 'ERR_AUDIT_DIVERGED' });
    // Nothing is written on top of a forged state: the write is refused whole, as a problem.
    const write = await admin.post('/api/v1/users', {
      username: 'after-forgery',
      password: 'a-long-password-1',
      roles: ['AUDITOR'],
    });
    assert.equal(write.status, 503);
    assert.equal(write.body.code, 'ERR_AUDIT_FORGED');
    assert.equal(
      (await admin.get('/api/v1/users?limit=100')).body.items.some(
        (u: { username: string }) => u.username === 'after-forgery',
      ),
      false,
    );

    const headAnswer = await admin.get('/api/v1/audit/tree-head');
    assert.equal(headAnswer.status, 409);
    assert.equal(headAnswer.body.code, 'ERR_AUDIT_DIVERGED');
    const status = await admin.get('/api/v1/audit/witness/status');
    assert.equal(status.status, 200);
    assert.equal(status.body.status, 'diverged');
    assert.equal(status.body.problem.kind, state.problem!.kind);
    assert.match(
      await node.ctx.metrics.registry.getSingleMetricAsString('hanoi247_audit_witness_diverged'),
      /hanoi247_audit_witness_diverged 1/,
    );
    // The alarm is in the log, chained after the damage; it does not seal the forgery (the write above).
    const alarms = await node.ctx.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.action, 'audit.witness_diverged'));
    assert.equal(alarms.length, 1);

    const verified = await admin.post('/api/v1/audit/verify');
    assert.equal(verified.status, 200);
    assert.equal(verified.body.ok, false);
    assert.ok(tampering.verify.includes(verified.body.firstProblem.kind), verified.body.firstProblem.message);
    assert.equal(verified.body.sealChecked, true);
    assert.ok(verified.body.witnessed.checkpoints.some((c: { size: number }) => c.size >= size));
    if (verified.body.firstProblem.kind === 'FORGED')
      // Named after the newest checkpoint that still vouches: the witnessed entries are not in doubt.
      assert.ok(verified.body.firstProblem.seq > size, verified.body.firstProblem.message);
  });
}

test('an intact witnessed log verifies, keeps signing, and receipts carry the cosigned checkpoint', async () => {
  const [vn, fr, de] = await network(['VN', 'FR', 'DE']);
  const size = await witnessed(vn!, [fr!, de!], 6);
  const { db } = vn!.ctx.database;
  // Forget the cosignature: the next receipt from France brings it back.
  await db.delete(auditCosignatures);
  const api = await apiAs(vn!, 'ops', ['ADMIN']);
  const ping = await api.post('/api/v1/federation/ping', { to: 'FR', count: 1 });
  assert.equal(ping.status, 200);
  const id = ping.body.queued[0] as string;
  const receipt = await eventually(
    async () => {
      const [row] = await db.select().from(federationOutbox).where(eq(federationOutbox.id, id));
      return row?.status === 'sent' ? row.receipt : undefined;
    },
    'the ping to be receipted',
    DEADLINE,
  );
  const claims = (await verifyJson(receipt!, fr!.ctx.keyring.verificationKeys())) as {
    senderCheckpoint?: string;
  };
  // France's latest cosigned checkpoint of Viet Nam's log: this one, or a later one Viet Nam's timer sent.
  const carried = /^hanoi247\/VN\/audit-log\n(\d+)\n/.exec(claims.senderCheckpoint ?? '');
  assert.ok(carried && Number(carried[1]) >= size, String(claims.senderCheckpoint));
  await eventually(
    async () => ((await cosignedBy(db, 'FR', Number(carried![1]))) ? true : undefined),
    'the kept cosignature',
    DEADLINE,
  );

  const result = await vn!.ctx.witnessing.verify();
  assert.equal(result.ok, true, JSON.stringify(result.firstProblem));
  assert.ok(result.witnessed.checkpoints.some((c) => c.size >= size && c.source === 'witness FR'));
  assert.ok(result.witnessed.checkpoints.some((c) => c.size >= size && c.source === 'witness DE'));
  assert.equal((await vn!.ctx.witnessing.guard.check()).status, 'ok');
  const next = await vn!.ctx.audit.signTreeHead();
  assert.ok(next.treeSize > size);
});

test("an auditor's saved checkpoint catches a cut even with no witness", async () => {
  const [vn] = await network(['VN']);
  await appendEntries(vn!, 12);
  const saved = await vn!.ctx.audit.signTreeHead();
  const { db } = vn!.database;
  await db.execute(sql`DELETE FROM audit_entries WHERE seq > ${saved.treeSize - 3}`);
  await deleteHeadsAbove(db, 0);
  await resealLog(db);
  const input = {
    nodeState: 'VN',
    keys: vn!.ctx.keyring.verificationKeys(),
    document: null,
    now: new Date(),
  };
  assert.equal((await verifyWithWitnesses(vn!.database, input)).ok, true);
  const result = await verifyWithWitnesses(vn!.database, {
    ...input,
    checkpoints: [{ name: 'saved.txt', note: saved.checkpoint! }],
  });
  assert.equal(result.ok, false);
  assert.equal(result.firstProblem?.kind, 'TRUNCATED');
  assert.match(result.firstProblem!.message, /checkpoint saved\.txt vouches for/);
  // A file that is not a checkpoint of this node is refused, not ignored.
  await assert.rejects(
    verifyWithWitnesses(vn!.database, {
      ...input,
      checkpoints: [
        {
          name: 'other.txt',
          note: signCheckpoint(
            'VN',
            3,
            'ab'.repeat(32),
            (await import('../../src/crypto/node-keys.ts').then((m) => m.generateNodeKeys())).signing
              .privateJwk,
          ),
        },
      ],
    }),
    { code: 'ERR_CHECKPOINT_FILE' },
  );
});

test('a witness keeps two inconsistent checkpoints of one node as proof of a fork, and raises an alert', async () => {
  // No tree heads on a timer: a newer checkpoint of VN's reaching FR first would make the forged one
  // merely stale (409 with the newer size), not a fork.
  const [vn, fr] = await network(['VN', 'FR'], { HANOI247_TREE_HEAD_INTERVAL_SECONDS: '86400' });
  const size = await witnessed(vn!, [fr!], 5);
  const forged = signCheckpoint(
    'VN',
    size,
    'cd'.repeat(32),
    vn!.ctx.keyring.privateKeys().signing.privateJwk,
  );
  const answer = await fetch(fr!.url + WITNESS_ADD_PATH, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: `old ${size}\n\n${forged}`,
  });
  assert.equal(answer.status, 409);
  assert.equal(answer.headers.get('content-type'), 'text/x.tlog.size');
  assert.equal(await answer.text(), `${size}\n`);
  const auditor = await apiAs(fr!, 'fr-auditor', ['AUDITOR']);
  const forks = await auditor.get('/api/v1/audit/witness/forks');
  assert.equal(forks.status, 200);
  assert.equal(forks.body.items.length, 1);
  assert.equal(forks.body.items[0].node, 'VN');
  assert.equal(forks.body.items[0].secondNote, forged);
  assert.match(forks.body.items[0].firstNote, new RegExp(`^hanoi247/VN/audit-log\\n${size}\\n`));
  assert.match(
    await fr!.ctx.metrics.registry.getSingleMetricAsString('hanoi247_audit_witness_forks_total'),
    /node="VN"} 1/,
  );
  const audited = rowsOf<{ n: number }>(
    await fr!.ctx.database.db.execute(
      sql`SELECT count(*)::int AS n FROM audit_entries WHERE action = 'audit.witness_fork' AND object_id = 'VN'`,
    ),
  );
  assert.equal(audited[0]!.n, 1);
  // An unsigned or unknown log is refused, and nothing is kept.
  const unknown = await fetch(fr!.url + WITNESS_ADD_PATH, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: `old 0\n\n${signCheckpoint('QQ', 1, 'ab'.repeat(32), vn!.ctx.keyring.privateKeys().signing.privateJwk)}`,
  });
  assert.equal(unknown.status, 404);
  const badProof = await fetch(fr!.url + WITNESS_ADD_PATH, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'old x\n\n',
  });
  assert.equal(badProof.status, 400);
  assert.equal((await badProof.json()).code, 'ERR_WITNESS_REQUEST');
});
