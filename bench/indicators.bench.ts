// Implementation indicators at scale: BENCH_REQUESTS requests (1,000,000 by default, loaded as in
// requests.bench.ts) with a timeline of three steps each, then a quarter's figures computed by the
// report's SQL (src/reports/compute-indicators.ts), beside a plain COUNT(*) ... GROUP BY over the same
// timeline rows in the same run. The figures read requests and their timeline, not the audit log
// (only the drill-down joins audit entries, by object), so no audit entries are loaded here.
// Quick run: BENCH_REQUESTS=20000 npm run bench -- indicators
import { sql } from 'drizzle-orm';
import { DEFAULT_DEADLINE_POLICY } from '../src/domain/requests/deadlines.ts';
import { computeFigures } from '../src/reports/compute-indicators.ts';
import type { Db } from '../src/store/database.ts';
import { benchDatabases } from './bench-database.ts';
import { envInt, fmt, printRows, type Row, timeIt } from './lib.ts';
import { bulkLoad } from './requests.bench.ts';

const QUARTER = { start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') };

/** Three steps per request: created (or registered), sent (or acknowledged) an hour later, settled a day later. */
async function loadTimeline(db: Db): Promise<void> {
  await db.execute(sql`INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, details)
    SELECT r.id, s.at, 'bench', s.action, s.from_status, s.to_status, s.details
    FROM requests r CROSS JOIN LATERAL (VALUES
      (r.created_at, CASE WHEN r.direction = 'INCOMING' THEN 'register_incoming' ELSE 'create' END,
        NULL::text, CASE WHEN r.direction = 'INCOMING' THEN 'received' ELSE 'draft' END, '{}'::jsonb),
      (r.created_at + interval '1 hour', CASE WHEN r.direction = 'INCOMING' THEN 'acknowledge' ELSE 'send' END,
        CASE WHEN r.direction = 'INCOMING' THEN 'received' ELSE 'approved' END,
        CASE WHEN r.direction = 'INCOMING' THEN 'acknowledged' ELSE 'sent' END, '{}'::jsonb),
      (r.created_at + interval '26 hours', 'settle', 'in_execution', r.status,
        CASE WHEN r.status = 'refused' THEN '{"ground":"ESSENTIAL_INTERESTS"}'::jsonb ELSE '{}'::jsonb END)
    ) AS s(at, action, from_status, to_status, details)`);
  await db.execute(sql`VACUUM ANALYZE request_events`);
}

export async function indicatorsBench(): Promise<void> {
  const n = envInt('BENCH_REQUESTS', 1_000_000);
  const runs = envInt('BENCH_INDICATOR_RUNS', 3);
  const rows: Row[] = [];
  for (const { name, database, dispose } of await benchDatabases()) {
    try {
      const { db } = database;
      const load = await timeIt(async () => {
        await bulkLoad(db, n);
        await loadTimeline(db);
      });
      process.stdout.write(
        `${name}: ${n.toLocaleString('en-US')} requests and ${(3 * n).toLocaleString('en-US')} steps loaded in ${fmt(load.ms / 1000)} s\n`,
      );
      let best = Number.POSITIVE_INFINITY;
      let baseline = Number.POSITIVE_INFINITY;
      let figures = 0;
      for (let i = 0; i < runs; i++) {
        const plain = await timeIt(() =>
          db.execute(sql`SELECT e.to_status, count(*) FROM request_events e
            WHERE e.at >= ${QUARTER.start.toISOString()}::timestamptz AND e.at < ${QUARTER.end.toISOString()}::timestamptz
            GROUP BY e.to_status`),
        );
        baseline = Math.min(baseline, plain.ms);
        const full = await timeIt(() => computeFigures(db, QUARTER, DEFAULT_DEADLINE_POLICY, 5));
        best = Math.min(best, full.ms);
        figures = full.value.length;
      }
      rows.push({
        figure: `${name}: a quarter's indicators (${figures} figures), best of ${runs}`,
        value: `${fmt(best)} ms`,
        baseline: `${fmt(baseline)} ms COUNT(*) GROUP BY`,
        ratio: `${fmt(best / baseline)}×`,
      });
    } finally {
      await dispose();
    }
  }
  printRows(
    `Implementation indicators over ${n.toLocaleString('en-US')} requests (goal < 2 s on PostgreSQL)`,
    rows,
  );
}
