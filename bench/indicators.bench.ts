// Implementation indicators at scale: BENCH_REQUESTS requests (1,000,000 by default, loaded as in
// requests.bench.ts) with a timeline of three steps each and BENCH_AUDIT_ENTRIES audit entries about
// them (ten per request by default: each step's own entry, then filler), all written by INSERT ...
// SELECT over generate_series or the rows already loaded, in chunks. Then a quarter's figures computed
// by the report's SQL (src/reports/compute-indicators.ts) and the drill-down of one figure, beside a
// plain COUNT(*) ... GROUP BY over the quarter's timeline rows in the same run, and beside the same
// figures computed from their definition (the timeline joined to the requests, as before
// drizzle/0037's step facts and 0039's step counts). The figures read the step counts and facts (kept
// by triggers as the timeline is loaded), not the audit log; the drill-down looks each fact's entry
// up by object.
// Quick run: BENCH_REQUESTS=20000 npm run bench -- indicators
// One back end only: BENCH_INDICATORS_ON=PostgreSQL (or PGlite).
import { sql } from 'drizzle-orm';
import { DEFAULT_DEADLINE_POLICY } from '../src/domain/requests/deadlines.ts';
import { computeFigures, drillDown, rawFigures } from '../src/reports/compute-indicators.ts';
import { type Db, rowsOf } from '../src/store/database.ts';
import { benchDatabases } from './bench-database.ts';
import { envInt, fmt, printRows, type Row, timeIt } from './lib.ts';
import { bulkLoad } from './requests.bench.ts';

const CHUNK = 100_000;
const AUDIT_CHUNK = 1_000_000;
const PLACEHOLDER_HASH = '0'.repeat(64);
const QUARTER = { start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') };

/**
 * Three steps per request: created (or registered), sent (or acknowledged) an hour later, settled a
 * day later. One statement per chunk of requests; the replica triggers (drizzle/0015) are told this
 * connection is no replica, as on a single-process node, so they write nothing. The step facts'
 * triggers (drizzle/0037, 0039) add each step's row and count, as on a node, so the load time
 * includes them.
 */
export async function loadTimeline(db: Db): Promise<void> {
  let last = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const next = await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('hanoi247.replica', '', true)`);
      return rowsOf<{ last: string | null }>(
        await tx.execute(sql`WITH batch AS (
            SELECT * FROM requests WHERE id > ${last}::uuid ORDER BY id LIMIT ${CHUNK}),
          added AS (INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, details)
            SELECT r.id, s.at, 'bench', s.action, s.from_status, s.to_status, s.details
            FROM batch r CROSS JOIN LATERAL (VALUES
              (r.created_at, CASE WHEN r.direction = 'INCOMING' THEN 'register_incoming' ELSE 'create' END,
                NULL::text, CASE WHEN r.direction = 'INCOMING' THEN 'received' ELSE 'draft' END, '{}'::jsonb),
              (r.created_at + interval '1 hour', CASE WHEN r.direction = 'INCOMING' THEN 'acknowledge' ELSE 'send' END,
                CASE WHEN r.direction = 'INCOMING' THEN 'received' ELSE 'approved' END,
                CASE WHEN r.direction = 'INCOMING' THEN 'acknowledged' ELSE 'sent' END, '{}'::jsonb),
              (r.created_at + interval '26 hours', 'settle', 'in_execution', r.status,
                CASE WHEN r.status = 'refused' THEN '{"ground":"ESSENTIAL_INTERESTS"}'::jsonb ELSE '{}'::jsonb END)
            ) AS s(at, action, from_status, to_status, details)
            ORDER BY r.id, s.at)
          SELECT max(id::text) AS last FROM batch`),
      )[0]?.last;
    });
    if (!next) break;
    last = next;
  }
  await db.execute(sql`VACUUM ANALYZE request_events`);
  await db.execute(sql`VACUUM ANALYZE request_step_facts`);
}

/**
 * `total` audit entries about the requests: each step's own entry (same action, object and instant,
 * as the drill-down looks them up), then further entries on the same request a second apart (reads,
 * notes, notifications in a real log), spread evenly over the steps until the total is reached. The
 * figures never read them; they are here so that the audit log has the size the issue names, for
 * the drill-down's look-ups. Hashes are placeholders: nothing verifies this log.
 */
export async function loadAudit(db: Db, total: number): Promise<void> {
  const maxId = Number(
    rowsOf<{ m: string | number | null }>(await db.execute(sql`SELECT max(id) AS m FROM request_events`))[0]!
      .m ?? 0,
  );
  if (maxId === 0 || total < maxId) return;
  // Step ids run 1..maxId (one load, no gaps): each gets `each` entries, the first `rest` one more.
  const each = Math.floor(total / maxId);
  const rest = total - each * maxId;
  const chunk = Math.max(1, Math.floor(AUDIT_CHUNK / (each + 1)));
  for (let lo = 1; lo <= maxId; lo += chunk) {
    const hi = Math.min(maxId, lo + chunk - 1);
    await db.execute(sql`INSERT INTO audit_entries (seq, at, actor, action, object_type, object_id,
        payload_hash, leaf_hash, chain_hash)
      SELECT (e.id - 1) * ${each} + least(e.id - 1, ${rest}) + g + 1, e.at + g * interval '1 second', e.actor,
        CASE WHEN g = 0 THEN 'request.' || e.action ELSE 'request.read' END, 'request', e.request_id::text,
        ${PLACEHOLDER_HASH}, ${PLACEHOLDER_HASH}, ${PLACEHOLDER_HASH}
      FROM request_events e
      CROSS JOIN LATERAL generate_series(0, ${each} - 1 + CASE WHEN e.id <= ${rest} THEN 1 ELSE 0 END) AS g
      WHERE e.id BETWEEN ${lo} AND ${hi}`);
    process.stdout.write(`  audit entries for ${hi.toLocaleString('en-US')} steps\r`);
  }
  process.stdout.write('\n');
  await db.execute(sql`VACUUM ANALYZE audit_entries`);
}

export async function indicatorsBench(): Promise<void> {
  const n = envInt('BENCH_REQUESTS', 1_000_000);
  const audit = envInt('BENCH_AUDIT_ENTRIES', 10 * n);
  const runs = envInt('BENCH_INDICATOR_RUNS', 3);
  const only = process.env.BENCH_INDICATORS_ON; // 'PGlite' or 'PostgreSQL' to measure one back end
  const rows: Row[] = [];
  for (const { name, database, dispose } of await benchDatabases()) {
    try {
      if (only && only.toLowerCase() !== name.toLowerCase()) continue;
      const { db } = database;
      const requests = await timeIt(() => bulkLoad(db, n));
      const timeline = await timeIt(() => loadTimeline(db));
      const entries = await timeIt(() => loadAudit(db, audit));
      process.stdout.write(
        `${name}: ${n.toLocaleString('en-US')} requests in ${fmt(requests.ms / 1000)} s, ${(3 * n).toLocaleString('en-US')} steps in ${fmt(timeline.ms / 1000)} s, ${audit.toLocaleString('en-US')} audit entries in ${fmt(entries.ms / 1000)} s\n`,
      );
      let best = Number.POSITIVE_INFINITY;
      let definition = Number.POSITIVE_INFINITY;
      let baseline = Number.POSITIVE_INFINITY;
      let trace = Number.POSITIVE_INFINITY;
      let figures = 0;
      let traced = 0;
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
        const joined = await timeIt(() => rawFigures(db, QUARTER, DEFAULT_DEADLINE_POLICY, {}, 'timeline'));
        definition = Math.min(definition, joined.ms);
        // The drill-down of one partner's refusals: the requests and their audit entries.
        const down = await timeIt(() =>
          drillDown(
            db,
            QUARTER,
            DEFAULT_DEADLINE_POLICY,
            { indicator: 'requests_refused', dimension: 'partner', group: 'DE' },
            true,
          ),
        );
        trace = Math.min(trace, down.ms);
        traced = down.value.count;
      }
      rows.push({
        figure: `${name}: a quarter's indicators (${figures} figures), best of ${runs}`,
        value: `${fmt(best)} ms`,
        baseline: `${fmt(baseline)} ms COUNT(*) GROUP BY`,
        ratio: `${fmt(best / baseline)}×`,
      });
      rows.push({
        figure: `${name}: the same from the timeline joined to the requests (before the step facts and counts)`,
        value: `${fmt(definition)} ms`,
        baseline: `${fmt(baseline)} ms COUNT(*) GROUP BY`,
        ratio: `${fmt(definition / baseline)}×`,
      });
      rows.push({
        figure: `${name}: drill-down of one figure (${traced.toLocaleString('en-US')} requests with their audit entries)`,
        value: `${fmt(trace)} ms`,
        baseline: `${fmt(baseline)} ms COUNT(*) GROUP BY`,
        ratio: `${fmt(trace / baseline)}×`,
      });
    } finally {
      await dispose();
    }
  }
  printRows(
    `Implementation indicators over ${n.toLocaleString('en-US')} requests and ${audit.toLocaleString('en-US')} audit entries (goal < 2 s on PostgreSQL)`,
    rows,
  );
}
