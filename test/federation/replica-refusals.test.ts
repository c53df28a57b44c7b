import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../src/store/database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { eventually } from './federation-network.ts';
import { freePorts, type NodeProcess, runCliAsync, spawnCli, waitReady } from './node-process.ts';
import { REPLICAS_SKIP, replicaEnv } from './replica-env.ts';

// Issue 16, part 3: refusals of unproven senders were counted per replica, so N replicas of one node
// on one PostgreSQL allowed N times the budget, and each audited its own first refusal and summary.
// Two `hanoi247 serve` processes of one node on one database; on PGlite a node is one process.
const skip = REPLICAS_SKIP;
const work = mkdtempSync(join(tmpdir(), 'h247-replica-refusals-'));
let vnDb: Database & { url: string | null };
const url: Record<string, string> = {};
const running: NodeProcess[] = [];

before(async () => {
  if (skip) return;
  const [a, b] = (await freePorts(2)) as [number, number];
  vnDb = await createTestDatabase();
  const env = (port: number) => replicaEnv(port, vnDb.url!, work);
  url.A = `http://127.0.0.1:${a}`;
  url.B = `http://127.0.0.1:${b}`;
  await runCliAsync(['init'], { ...env(a), HANOI247_NEW_PASSWORD: 'replica-refusals-password-1' });
  running.push(spawnCli(['serve'], env(a)), spawnCli(['serve'], env(b)));
  // Two processes starting at once on a loaded machine: generous.
  await waitReady([url.A!, url.B!], running, 300_000);
});

after(async () => {
  if (skip) return;
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await vnDb?.close();
  rmSync(work, { recursive: true, force: true });
});

test('junk federation posts spread over both replicas are limited and audited as one', { skip }, async () => {
  // Posts in flight on both replicas at once: a replica that has not refused the address yet, or
  // posts already past the in-memory check, must still not let a refusal beyond the budget through.
  const post = async (i: number) => {
    const response = await fetch(`${url[i % 2 === 0 ? 'A' : 'B']}/federation/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: `junk.${i}.not.a.jwe`,
    });
    const body = (await response.json()) as { code: string };
    assert.equal(body.code, response.status === 429 ? 'ERR_RATE_LIMITED' : 'ERR_PEER_ENVELOPE');
    if (response.status === 429) assert.ok(Number(response.headers.get('retry-after')) > 0);
    return response.status;
  };
  const statuses: number[] = [];
  for (let wave = 0; wave < 10; wave++)
    statuses.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => post(wave * 10 + k)))));
  const refused = statuses.filter((s) => s === 400).length;
  // 60 a minute for the whole node, exactly: the count each refusal takes in the database decides.
  assert.equal(refused, 60, 'sixty refusals for both replicas together, then 429');
  assert.equal(statuses.filter((s) => s === 429).length, 40);
  assert.ok(
    statuses.slice(60).every((s) => s === 429),
    'past the budget, 429 from both replicas',
  );
  for (const replica of ['A', 'B'])
    assert.equal(await post(replica === 'A' ? 100 : 101), 429, `replica ${replica} answers 429 now`);
  const audited = async (action: string) =>
    rowsOf<{ n: number }>(
      await vnDb.db.execute(sql`SELECT count(*)::int AS n FROM audit_entries WHERE action = ${action}`),
    )[0]!.n;
  assert.equal(await audited('federation.refuse'), 1, 'one replica audits the first refusal in full');
  // At shutdown a replica audits every count still pending, the other replica's too.
  await running[1]!.stop('SIGTERM');
  assert.equal(await audited('federation.refuse_summary'), 1, 'one summary for both replicas');
  // Whichever replica took them (A's timer, had the window ended meanwhile), one line tells of them.
  const summaries = () =>
    running
      .flatMap((p) => p.output().split('\n'))
      .filter((line) => line.includes('refused federation posts from an unproven sender'))
      .map((line) => (JSON.parse(line) as { refusals: number }).refusals);
  await eventually(async () => (summaries().length > 0 ? true : undefined), 'the summary is logged');
  assert.deepEqual(summaries(), [59], 'the summary counts the refusals of both, none past the budget');
});
