import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Role } from '../../src/domain/codes.ts';
import { type PublishedFigure, parsePeriod } from '../../src/domain/indicators-report/index.ts';
import { DEFAULT_DEADLINE_POLICY } from '../../src/domain/requests/deadlines.ts';
import { checkFilters, computeFigures, drillDown } from '../../src/reports/compute-indicators.ts';
import type { RequestActor } from '../../src/requests/request-service.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { rowsOf } from '../../src/store/database.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// The figures of a month over real requests on a real database (PGlite, or PostgreSQL with
// DATABASE_URL): counts by breakdown, confidential requests only in totals, small counts suppressed,
// response times, and the drill-down that lists the requests and audit entries behind a figure.
const clock = manualClock('2026-09-01T00:00:00Z');
let node: TestNode;
const users: Record<string, RequestActor> = {};
const HOUR = 3_600_000;
const refused: string[] = [];

function periodOf(text: string) {
  const r = parsePeriod(text, clock.now());
  assert.ok(r.ok);
  return r.period;
}

function find(
  figures: PublishedFigure[],
  indicator: string,
  dimension = 'total',
  group: string | null = null,
) {
  return figures.find((f) => f.indicator === indicator && f.dimension === dimension && f.group === group);
}

async function incoming(from: string, confidential: boolean, ackAfterMs: number): Promise<string> {
  const body = buildRequest('MLA_GENERAL', { requestingState: from, requestedState: 'VN' });
  const { request } = await node.ctx.requests.create(users.duty!, {
    type: 'MLA_GENERAL',
    direction: 'INCOMING',
    ...body,
    urgency: 'URGENT',
    confidentialityRequired: confidential,
  });
  clock.advance(ackAfterMs);
  await node.ctx.requests.transition(users.duty!, request.id, { action: 'acknowledge' });
  return request.id;
}

before(async () => {
  node = await startTestNode({ clock });
  for (const u of await node.ctx.users.list(100, null))
    users[u.username] = { id: u.id, roles: u.roles as Role[] };
  clock.set('2026-10-05T08:00:00Z');
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await incoming('FR', false, 2 * HOUR));
  await incoming('DE', true, HOUR / 2);
  for (const id of ids.slice(0, 2)) {
    clock.advance(HOUR);
    await node.ctx.requests.transition(users.lawyer!, id, {
      action: 'open_consultation',
      message: 'conditions proposed',
    });
    await node.ctx.requests.transition(users.lawyer!, id, {
      action: 'refuse',
      ground: 'ESSENTIAL_INTERESTS',
      reason: 'written reasons',
    });
    refused.push(id);
  }
  clock.set('2026-12-01T00:00:00Z');
});
after(() => node.close());

test('counts by breakdown: confidential requests only in the total, small counts suppressed', async () => {
  const db = node.ctx.database.db;
  const figures = await computeFigures(db, periodOf('2026-10'), DEFAULT_DEADLINE_POLICY, 5);
  assert.equal(find(figures, 'requests_received')?.value, 7);
  assert.equal(find(figures, 'requests_received', 'partner', 'FR')?.value, 6);
  assert.equal(find(figures, 'requests_received', 'partner', 'DE'), undefined, 'confidential: total only');
  assert.equal(find(figures, 'requests_received', 'direction', 'INCOMING')?.value, 6);
  assert.equal(find(figures, 'requests_refused')?.value, '<5');
  assert.equal(find(figures, 'requests_refused', 'ground', 'ESSENTIAL_INTERESTS')?.value, '<5');
  assert.equal(find(figures, 'requests_sent')?.value, 0, 'every indicator has a total');
  const open = await computeFigures(db, periodOf('2026-10'), DEFAULT_DEADLINE_POLICY, 1);
  assert.equal(find(open, 'requests_refused')?.value, 2);
  const cases = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM cases`));
  assert.equal(find(open, 'cases_opened')?.value, cases[0]!.n, 'every case was opened in October');
  const september = await computeFigures(db, periodOf('2026-09'), DEFAULT_DEADLINE_POLICY, 5);
  assert.equal(find(september, 'requests_received')?.value, 0);
});

test('response times: median, 90th percentile and the share within the deadline', async () => {
  const figures = await computeFigures(node.ctx.database.db, periodOf('2026-Q4'), DEFAULT_DEADLINE_POLICY, 5);
  const ack = find(figures, 'time_to_acknowledge');
  assert.equal(ack?.value, 7);
  assert.equal(ack?.medianHours, 2);
  assert.equal(ack?.p90Hours, 2);
  assert.equal(ack?.withinDeadlineShare, 1, 'URGENT: acknowledge within 24 hours');
  const fr = find(figures, 'time_to_acknowledge', 'partner', 'FR');
  assert.equal(fr?.value, 6);
  const strict = await computeFigures(
    node.ctx.database.db,
    periodOf('2026-Q4'),
    { ...DEFAULT_DEADLINE_POLICY, acknowledge: { ...DEFAULT_DEADLINE_POLICY.acknowledge, URGENT: 'PT1H' } },
    1,
  );
  assert.equal(find(strict, 'time_to_acknowledge')?.withinDeadlineShare, 0.143, 'only the 30-minute one');
});

test('the drill-down lists the requests and audit entries behind a figure', async () => {
  const db = node.ctx.database.db;
  const q4 = periodOf('2026-Q4');
  const down = await drillDown(
    db,
    q4,
    DEFAULT_DEADLINE_POLICY,
    { indicator: 'requests_refused', dimension: 'ground', group: 'ESSENTIAL_INTERESTS' },
    false,
  );
  assert.equal(down.count, 2);
  assert.deepEqual(down.items.map((i) => i.objectId).sort(), [...refused].sort());
  for (const item of down.items) {
    assert.ok(item.auditSeq !== null);
    const [entry] = rowsOf<{ action: string; object_id: string }>(
      await db.execute(sql`SELECT action, object_id FROM audit_entries WHERE seq = ${item.auditSeq}`),
    );
    assert.deepEqual(entry, { action: 'request.refuse', object_id: item.objectId });
  }
  const total = await drillDown(
    db,
    q4,
    DEFAULT_DEADLINE_POLICY,
    { indicator: 'requests_received', dimension: 'total' },
    false,
  );
  assert.equal(total.count, 7);
  assert.equal(total.items.length, 6);
  assert.equal(total.hidden, 1, 'the confidential request is counted but not listed');
  const auditor = await drillDown(
    db,
    q4,
    DEFAULT_DEADLINE_POLICY,
    { indicator: 'requests_received', dimension: 'total' },
    true,
  );
  assert.equal(auditor.items.length, 7);
  await assert.rejects(
    drillDown(db, q4, DEFAULT_DEADLINE_POLICY, { indicator: 'nonsense', dimension: 'partner' }, true),
    (e: Error & { errors?: { field: string }[] }) =>
      e.errors?.map((p) => p.field).join() === 'indicator,group',
  );
});

test('filters: only requests with those properties count, confidential ones left out, bad values named', async () => {
  const db = node.ctx.database.db;
  const q4 = periodOf('2026-Q4');
  const fr = await computeFigures(db, q4, DEFAULT_DEADLINE_POLICY, 1, { partner: 'FR' });
  assert.equal(find(fr, 'requests_received')?.value, 6);
  assert.equal(find(fr, 'requests_refused')?.value, 2);
  assert.equal(find(fr, 'hub_members')?.value, 0, 'hub records have no partner');
  // The confidential request from DE counts in the unfiltered total only.
  const de = await computeFigures(db, q4, DEFAULT_DEADLINE_POLICY, 1, { partner: 'DE' });
  assert.equal(find(de, 'requests_received')?.value, 0);
  const both = await computeFigures(db, q4, DEFAULT_DEADLINE_POLICY, 1, {
    direction: 'INCOMING',
    urgency: 'URGENT',
    type: 'MLA_GENERAL',
  });
  assert.equal(find(both, 'requests_received')?.value, 6);
  const none = await computeFigures(db, q4, DEFAULT_DEADLINE_POLICY, 1, { direction: 'OUTGOING' });
  assert.equal(find(none, 'requests_received')?.value, 0);
  const traced = await drillDown(
    db,
    q4,
    DEFAULT_DEADLINE_POLICY,
    { indicator: 'requests_refused', dimension: 'total' },
    true,
    { partner: 'FR', legal_basis: 'UNCC' },
  );
  const basis = rowsOf<{ legal_basis: string }>(
    await db.execute(sql`SELECT DISTINCT legal_basis FROM requests WHERE partner_state = 'FR'`),
  );
  assert.equal(traced.count, basis.some((b) => b.legal_basis === 'UNCC') ? 2 : 0);
  assert.throws(
    () => checkFilters({ type: 'NOPE', direction: 'SIDEWAYS', partner: 'france', urgency: '' }),
    (e: { errors: { field: string }[] }) =>
      JSON.stringify(e.errors.map((p) => p.field)) === JSON.stringify(['type', 'direction', 'partner']),
  );
  assert.deepEqual(checkFilters({ urgency: 'EMERGENCY', legal_basis: '' }), { urgency: 'EMERGENCY' });
});

test('24/7 availability: time to the first step by a person, by hour and day of arrival (UTC)', async () => {
  const db = node.ctx.database.db;
  const figures = await computeFigures(db, periodOf('2026-10'), DEFAULT_DEADLINE_POLICY, 5);
  const all = find(figures, 'time_to_first_action');
  assert.equal(all?.value, 7, 'every request received had a first step by a person');
  assert.equal(all?.medianHours, 2);
  // They arrived on Monday 5 October 2026 from 08:00 UTC, one every two hours.
  assert.equal(find(figures, 'time_to_first_action', 'weekday', '1')?.value, 6, 'confidential: total only');
  assert.equal(find(figures, 'time_to_first_action', 'hour', '08')?.value, '<5');
  assert.equal(find(figures, 'time_to_first_action', 'hour', '08')?.medianHours, null, 'too few cases');
  const open = await computeFigures(db, periodOf('2026-10'), DEFAULT_DEADLINE_POLICY, 1);
  assert.equal(find(open, 'time_to_first_action', 'hour', '10')?.medianHours, 2);
  // A step by the node itself (a timer, a partner's message) is not a person's action.
  const people = rowsOf<{ n: number }>(
    await db.execute(
      sql`SELECT count(DISTINCT request_id)::int AS n FROM request_events
          WHERE actor NOT LIKE 'node:%' AND actor NOT LIKE 'system:%' AND action <> 'register_incoming'`,
    ),
  );
  assert.equal(people[0]!.n, 7);
});
