// Requests at scale: with BENCH_REQUESTS stored (1,000,000 by default), list and filter queries
// through the request service (p50/p99; goal p99 < 50 ms on PostgreSQL), and the time to create,
// submit, approve and send one request. Baseline in the same run: a primary-key read of one row.
// The rows are written by one INSERT ... SELECT FROM generate_series per chunk, so loading is fast.
// Quick run: BENCH_REQUESTS=20000 BENCH_REQUEST_QUERIES=20 npm run bench -- requests
// (BENCH_REQUESTS_ON=PostgreSQL or PGlite measures one back end only).
import { sql } from 'drizzle-orm';
import { createDirectoryService } from '../src/directory/directory-service.ts';
import { buildDemoDirectory } from '../src/domain/directory/index.ts';
import { createRequestService, type RequestActor } from '../src/requests/request-service.ts';
import { manualClock } from '../src/shared/clock.ts';
import { type Db, rowsOf } from '../src/store/database.ts';
import { buildRequest } from '../test/domain/requests/request-fixtures.ts';
import { benchDatabases } from './bench-database.ts';
import { envInt, fmt, percentile, printRows, type Row, timeIt } from './lib.ts';

const NOW = '2026-12-10T08:00:00Z';
const NOW_MS = Date.parse(NOW);
const CHUNK = 100_000;
const DRAFTER: RequestActor = { id: '0193f6c2-0000-7000-8000-00000000d001', roles: ['DUTY_OFFICER'] };
const APPROVER: RequestActor = { id: '0193f6c2-0000-7000-8000-00000000a001', roles: ['APPROVER'] };
const OFFICERS = 40;
const officer = (i: number) => `0193f6c2-0000-7000-8000-${String(i).padStart(12, '0')}`;

/**
 * Loads n requests spread over the two years before NOW: ids are UUIDv7-shaped (time first), so
 * id order is creation order as in real use. Mix: 13 types, 8 partner States, 10% incoming, 3%
 * emergencies; the last 5% still open (a deadline each, a fifth of them past), the rest settled.
 */
export async function bulkLoad(db: Db, n: number): Promise<void> {
  const partners = "ARRAY['FR','DE','KR','SG','TH','US','JP','AU']";
  const types =
    "ARRAY['PRESERVATION','TRAFFIC_DATA_DISCLOSURE','MLA_GENERAL','MLA_STORED_DATA','MLA_REALTIME_TRAFFIC','MLA_INTERCEPTION','EMERGENCY_DISCLOSURE','ASSISTANCE_24_7','SPONTANEOUS_INFORMATION','LE_COOPERATION','JOINT_INVESTIGATION','EXTRADITION','PROVISIONAL_ARREST']";
  const cases = Math.ceil(n / 4);
  for (let start = 1; start <= cases; start += CHUNK) {
    const end = Math.min(cases, start + CHUNK - 1);
    await db.execute(
      sql.raw(`INSERT INTO cases (id, reference, created_at, created_by)
        SELECT (lpad(to_hex(${NOW_MS - 2 * 365 * 86_400_000} + i::bigint * 1000), 12, '0') || '7000' || '9000' || lpad(to_hex(i), 12, '0'))::uuid,
          'BENCH-' || i, to_timestamp(${NOW_MS / 1000 - 2 * 365 * 86_400}), '${DRAFTER.id}'
        FROM generate_series(${start}, ${end}) AS i`),
    );
  }
  const spanMs = 2 * 365 * 86_400_000;
  for (let start = 1; start <= n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK - 1);
    await db.execute(
      sql.raw(`INSERT INTO requests (id, case_id, direction, type, status, urgency, requesting_state,
          requested_state, partner_state, body, legal_basis, legal_basis_reason, legal_basis_candidates,
          scope_result, scope_reason, drafted_by, approved_by, assigned_to, started_at, next_due_at,
          next_due_kind, created_at, updated_at)
        SELECT id, case_id, direction, type, status, urgency,
          CASE WHEN direction = 'OUTGOING' THEN 'VN' ELSE partner END,
          CASE WHEN direction = 'OUTGOING' THEN partner ELSE 'VN' END,
          partner,
          jsonb_build_object('caseReference', 'BENCH-' || c, 'type', type, 'urgency', urgency,
            'factsSummary', 'Synthetic request ' || i || ' for the benchmark: an investment scam with many victims.',
            'offences', jsonb_build_array(jsonb_build_object('code', 'ICT_THEFT_FRAUD', 'maxPenaltyMonths', 240))),
          'CONVENTION', 'Both States are Parties to the Convention on this date.', '[]'::jsonb,
          'CONVENTION_OFFENCE', 'ICT_THEFT_FRAUD is a Convention offence.',
          '${DRAFTER.id}', '${APPROVER.id}',
          '0193f6c2-0000-7000-8000-' || lpad((i % ${OFFICERS})::text, 12, '0'),
          created, due, CASE WHEN due IS NULL THEN NULL ELSE 'EXECUTE' END, created, created
        FROM (
          SELECT i, (i + 3) / 4 AS c,
            (lpad(to_hex(${NOW_MS - spanMs}::bigint + (i::bigint * ${spanMs}) / ${n}), 12, '0') || '7000' || '8000' || lpad(to_hex(i), 12, '0'))::uuid AS id,
            (lpad(to_hex(${NOW_MS - 2 * 365 * 86_400_000} + ((i + 3) / 4)::bigint * 1000), 12, '0') || '7000' || '9000' || lpad(to_hex((i + 3) / 4), 12, '0'))::uuid AS case_id,
            CASE WHEN i % 10 = 3 THEN 'INCOMING' ELSE 'OUTGOING' END AS direction,
            (${types})[1 + (i * 7) % 13] AS type,
            CASE WHEN i > ${Math.floor(n * 0.95)} THEN
                CASE WHEN i % 10 = 3 THEN (ARRAY['received','acknowledged','in_execution','consultation'])[1 + i % 4]
                     ELSE (ARRAY['draft','pending_approval','sent','acknowledged','in_execution'])[1 + i % 5] END
              ELSE (ARRAY['closed','executed','closed','refused','withdrawn','closed'])[1 + i % 6] END AS status,
            CASE WHEN i % 33 = 0 THEN 'EMERGENCY' WHEN i % 5 = 0 THEN 'URGENT' ELSE 'ROUTINE' END AS urgency,
            (${partners})[1 + (i * 3) % 8] AS partner,
            to_timestamp((${NOW_MS - spanMs}::bigint + (i::bigint * ${spanMs}) / ${n}) / 1000.0) AS created,
            CASE WHEN i > ${Math.floor(n * 0.95)} THEN
              to_timestamp(${NOW_MS / 1000} + CASE WHEN i % 5 = 0 THEN -86400 * (1 + i % 20) ELSE 86400 * (1 + i % 30) END)
            END AS due
          FROM generate_series(${start}, ${end}) AS i
        ) AS g`),
    );
    process.stdout.write(`  loaded ${end.toLocaleString('en-US')} requests\r`);
  }
  process.stdout.write('\n');
  // As autovacuum would have done on a database that grew to this size.
  await db.execute(sql`VACUUM ANALYZE requests`);
  await db.execute(sql`VACUUM ANALYZE cases`);
}

async function series(iterations: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn(i); // warm up plans and caches
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) times.push((await timeIt(() => fn(i))).ms);
  return times.sort((a, b) => a - b);
}

/** List and filter p50/p99 over n stored requests, and create + approve + send, on each back end. */
export async function requestsBench(): Promise<void> {
  const n = envInt('BENCH_REQUESTS', 1_000_000);
  const iterations = envInt('BENCH_REQUEST_QUERIES', 100);
  const steps = envInt('BENCH_REQUEST_STEPS', 30);
  const only = process.env.BENCH_REQUESTS_ON; // 'PGlite' or 'PostgreSQL' to measure one back end
  for (const { name, database, dispose } of await benchDatabases()) {
    try {
      if (only && only.toLowerCase() !== name.toLowerCase()) continue;
      const { db } = database;
      const clock = manualClock(NOW);
      const directory = createDirectoryService(database, clock);
      await directory.importDocument('bench', buildDemoDirectory(), 'bench');
      const service = createRequestService(database, clock, directory, {
        nodeState: 'VN',
        nodeSecret: 'bench-secret-0123456789',
      });
      const load = await timeIt(() => bulkLoad(db, n));
      process.stdout.write(
        `${name}: ${n.toLocaleString('en-US')} requests loaded in ${fmt(load.ms / 1000)} s\n`,
      );

      const ids = (await service.list({ limit: 500 })).items // the newest page gives ids for cursors and point reads
        .map((i) => i.id);
      const [middle] = rowsOf<{ id: string }>(
        await db.execute(sql`SELECT id FROM requests ORDER BY id LIMIT 1 OFFSET ${Math.floor(n / 2)}`),
      );
      const deepCursor = middle!.id;
      const baseline = await series(iterations, (i) =>
        db.execute(sql`SELECT * FROM requests WHERE id = ${ids[i % ids.length]!}`),
      );
      const base50 = percentile(baseline, 50);
      const queries: [string, (i: number) => Promise<unknown>][] = [
        ['newest page (50)', () => service.list({})],
        ['type', (i) => service.list({ type: i % 2 ? 'PRESERVATION' : 'EXTRADITION' })],
        ['status (open)', (i) => service.list({ status: i % 2 ? 'in_execution' : 'pending_approval' })],
        ['partner State', (i) => service.list({ partnerState: i % 2 ? 'FR' : 'KR' })],
        ['urgency EMERGENCY', () => service.list({ urgency: 'EMERGENCY' })],
        ['overdue', () => service.list({ overdue: true })],
        ['assigned officer', (i) => service.list({ assignedTo: officer(i % OFFICERS) })],
        [
          'type + status + partner',
          (i) => service.list({ type: 'MLA_GENERAL', status: i % 2 ? 'closed' : 'sent', partnerState: 'DE' }),
        ],
        [
          'overdue + partner + urgency',
          () => service.list({ overdue: true, partnerState: 'SG', urgency: 'URGENT' }),
        ],
        ['cursor page in the middle', () => service.list({ after: deepCursor })],
        ['cursor + type', () => service.list({ after: deepCursor, type: 'MLA_STORED_DATA' })],
        [
          'case reference',
          (i) => service.list({ caseReference: `BENCH-${1 + ((i * 7919) % Math.ceil(n / 4))}` }),
        ],
      ];
      const rows: Row[] = [
        {
          figure: 'baseline: one row by primary key',
          value: `p50 ${fmt(base50, 2)} ms, p99 ${fmt(percentile(baseline, 99), 2)} ms`,
          baseline: '—',
          ratio: '1.0×',
        },
      ];
      for (const [label, fn] of queries) {
        const times = await series(iterations, fn);
        const p50 = percentile(times, 50);
        const p99 = percentile(times, 99);
        rows.push({
          figure: `list: ${label}`,
          value: `p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms${p99 < 50 ? '' : ' (over 50 ms)'}`,
          baseline: `p50 ${fmt(base50, 2)} ms`,
          ratio: `${fmt(p50 / base50)}×`,
        });
      }
      const flow = await series(steps, async () => {
        const { request } = await service.create(DRAFTER, {
          type: 'MLA_GENERAL',
          ...buildRequest('MLA_GENERAL'),
        });
        await service.transition(DRAFTER, request.id, { action: 'submit' });
        await service.transition(APPROVER, request.id, { action: 'approve' });
        await service.transition(DRAFTER, request.id, { action: 'send' });
      });
      rows.push({
        figure: 'create + submit + approve + send one request',
        value: `p50 ${fmt(percentile(flow, 50))} ms, p99 ${fmt(percentile(flow, 99))} ms`,
        baseline: `p50 ${fmt(base50, 2)} ms`,
        ratio: `${fmt(percentile(flow, 50) / base50)}×`,
      });
      printRows(
        `requests on ${name}: ${n.toLocaleString('en-US')} stored, ${iterations} queries each (BENCH_REQUESTS, BENCH_REQUEST_QUERIES)`,
        rows,
      );
    } finally {
      await dispose();
    }
  }
}
