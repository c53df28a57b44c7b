import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { lastEndedPeriod } from '../../src/domain/indicators-report/index.ts';
import { SCHEDULE_JOB } from '../../src/reports/report-schedule.ts';
import { type Database, rowsOf } from '../../src/store/database.ts';
import { eventually } from '../federation/federation-network.ts';
import { freePorts, type NodeProcess, runCliAsync, spawnCli, waitReady } from '../federation/node-process.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';

// Two `hanoi247 serve` processes of one node on one PostgreSQL database, both with the quarterly
// report schedule: each checks at its start, and the ended quarter gets one report, not one per
// replica. On PGlite a node is one process: there are no replicas.
const skip = process.env.DATABASE_URL
  ? false
  : 'needs PostgreSQL: replicas share one database (PGlite is one process)';
const work = mkdtempSync(join(tmpdir(), 'h247-report-replicas-'));
let db: Database & { url: string | null };
const running: NodeProcess[] = [];

before(async () => {
  if (skip) return;
  db = await createTestDatabase();
});

after(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

test('two replicas with the quarterly schedule build the ended quarter once', { skip }, async () => {
  const ports = (await freePorts(2)) as [number, number];
  const env = (port: number) => ({
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: db.url!,
    HANOI247_NODE_STATE: 'VN',
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_LOG_LEVEL: 'warn',
    HANOI247_DATA_DIR: join(work, `VN-${port}`),
    HANOI247_REPORT_SCHEDULE: 'quarterly',
  });
  await runCliAsync(['init'], { ...env(ports[0]), HANOI247_NEW_PASSWORD: 'report-replicas-password-1' });
  const a = spawnCli(['serve'], env(ports[0]));
  const b = spawnCli(['serve'], env(ports[1]));
  running.push(a, b);
  await waitReady(
    ports.map((p) => `http://127.0.0.1:${p}`),
    running,
    120_000,
  );
  const period = lastEndedPeriod('quarterly', new Date());
  const reports = async () =>
    rowsOf<{ n: number }>(
      await db.db.execute(sql`SELECT count(*)::int AS n FROM indicator_reports WHERE period = ${period}`),
    )[0]!.n;
  await eventually(async () => ((await reports()) > 0 ? true : undefined), `a report of ${period}`, 60_000);
  // Each replica started its check once ready; a stop waits for the check under way to end.
  await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
  assert.equal(await reports(), 1, 'one report of the quarter, not one per replica');
  const claims = rowsOf<{ n: number }>(
    await db.db.execute(
      sql`SELECT count(*)::int AS n FROM job_claims WHERE job = ${SCHEDULE_JOB} AND key = ${period}`,
    ),
  );
  assert.equal(claims[0]!.n, 1);
});
