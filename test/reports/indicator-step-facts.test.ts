import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { LEGAL_BASES, REQUEST_TYPES, URGENCIES } from '../../src/domain/codes.ts';
import { DIMENSIONS, INDICATORS } from '../../src/domain/indicators-report/index.ts';
import { DEFAULT_DEADLINE_POLICY } from '../../src/domain/requests/deadlines.ts';
import { REFUSAL_GROUNDS } from '../../src/domain/requests/vocabulary.ts';
import { drillDown, type FigureFilters, rawFigures } from '../../src/reports/compute-indicators.ts';
import type { Interval } from '../../src/reports/indicator-facts.ts';
import { type Db, rowsOf } from '../../src/store/database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

// The figures read the period's steps from request_step_facts (drizzle/0037, 0039) and their counts
// from request_step_counts (drizzle/0039), tables their triggers keep; their definition is the
// timeline joined to the requests. Over a varied, seeded dataset
// (both directions, every type and urgency, several partners, confidential and exercise requests,
// requests sharing a case and an instant, steps added one by one and out of order, requests edited
// after their steps), the table must hold what the definition gives, and every figure and drill-down
// must come out the same from both (PGlite, or PostgreSQL with DATABASE_URL).
const DAY = 86_400_000;
const PARTNERS = ['FR', 'DE', 'KR', 'SG', 'US'];
const PERIODS: Record<string, Interval> = {
  '2026-Q3': { start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') },
  '2026-Q4': { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') },
  '2026-11': { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') },
  // Not whole months: the counts of the months within, the steps themselves for the rest.
  'mid-August to 3 November': {
    start: new Date('2026-08-17T13:00:00Z'),
    end: new Date('2026-11-03T00:00:00Z'),
  },
  'within October': { start: new Date('2026-10-05T00:00:00Z'), end: new Date('2026-10-20T00:00:00Z') },
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;

const SETTLED = sql`('executed', 'partially_executed', 'refused')`;
const byPerson = (alias: string) =>
  sql.raw(`${alias}.actor NOT LIKE 'node:%' AND ${alias}.actor NOT LIKE 'system:%'`);

/** mulberry32: the same dataset on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(17);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const uuid = () =>
  Array.from({ length: 32 }, (_, i) => (i === 12 ? '7' : Math.floor(random() * 16).toString(16)))
    .join('')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

type Step = { action: string; from: string | null; to: string; actor: string; ground?: string };

/** A plausible timeline: outgoing or incoming, ending executed, refused, postponed, withdrawn or open. */
function chain(direction: string, type: string, partner: string): Step[] {
  const person = pick(['duty', 'lawyer', 'approver']);
  const node = `node:${partner}`;
  const steps: Step[] =
    direction === 'OUTGOING'
      ? [
          { action: 'create', from: null, to: 'draft', actor: person },
          { action: 'submit', from: 'draft', to: 'pending_approval', actor: person },
          { action: 'approve', from: 'pending_approval', to: 'approved', actor: 'approver' },
          { action: 'send', from: 'approved', to: 'sent', actor: person },
          { action: 'record_acknowledgement', from: 'sent', to: 'acknowledged', actor: node },
        ]
      : [
          { action: 'register_incoming', from: null, to: 'received', actor: pick([node, person]) },
          { action: 'note', from: 'received', to: 'received', actor: pick(['system:timer', node]) },
          { action: 'acknowledge', from: 'received', to: 'acknowledged', actor: person },
        ];
  // Received twice (the partner's node, then a person or the node again): when a person registered it
  // again, the first registration's first step by a person is a registration, and has no first action.
  if (direction === 'INCOMING' && random() < 0.2)
    steps.unshift({ action: 'register_incoming', from: null, to: 'received', actor: node });
  if (type === 'PRESERVATION' && random() < 0.5)
    steps.push({ action: 'extend_preservation', from: 'acknowledged', to: 'acknowledged', actor: person });
  steps.push({ action: 'start_execution', from: 'acknowledged', to: 'in_execution', actor: person });
  const end = random();
  if (end < 0.3) {
    steps.push({ action: 'execute', from: 'in_execution', to: 'executed', actor: person });
    if (random() < 0.3) steps.push({ action: 'note', from: 'executed', to: 'executed', actor: person });
  } else if (end < 0.45) {
    steps.push({
      action: 'partially_execute',
      from: 'in_execution',
      to: 'partially_executed',
      actor: person,
    });
    steps.push({ action: 'execute', from: 'partially_executed', to: 'executed', actor: node });
  } else if (end < 0.65)
    steps.push({
      action: 'refuse',
      from: 'in_execution',
      to: 'refused',
      actor: 'lawyer',
      ground: pick(REFUSAL_GROUNDS),
    });
  else if (end < 0.8) {
    steps.push({ action: 'postpone', from: 'in_execution', to: 'postponed', actor: person });
    if (random() < 0.5) {
      steps.push({ action: 'resume', from: 'postponed', to: 'in_execution', actor: person });
      steps.push({ action: 'postpone', from: 'in_execution', to: 'postponed', actor: person });
    }
  } else if (end < 0.9)
    steps.push({ action: 'withdraw', from: 'in_execution', to: 'withdrawn', actor: person });
  return steps.slice(0, random() < 0.15 ? 1 + Math.floor(random() * steps.length) : steps.length);
}

async function insertSteps(db: Db, requestId: string, steps: (Step & { at: Date })[]): Promise<void> {
  if (steps.length === 0) return;
  await db.execute(sql`INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, details)
    VALUES ${sql.join(
      steps.map(
        (s) =>
          sql`(${requestId}, ${s.at.toISOString()}::timestamptz, ${s.actor}, ${s.action}, ${s.from}, ${s.to},
            ${JSON.stringify(s.ground ? { ground: s.ground, reason: 'reasons' } : {})}::jsonb)`,
      ),
      sql`, `,
    )}`);
}

async function seed(db: Db): Promise<void> {
  const exercise = uuid();
  const ids: string[] = [];
  const caseIds: string[] = [];
  let caseId = uuid();
  let lastCreated = new Date('2026-06-01T00:00:00Z');
  for (let i = 0; i < 240; i++) {
    // Requests share a case in runs, sometimes created at the same instant as the one before.
    if (random() < 0.5) caseId = uuid();
    caseIds.push(caseId);
    await db.execute(sql`INSERT INTO cases (id, reference, created_at, created_by)
      VALUES (${caseId}, ${`CASE-${caseId}`}, '2026-05-01T00:00:00Z', 'seed') ON CONFLICT DO NOTHING`);
    const created =
      random() < 0.1 ? lastCreated : new Date(Date.parse('2026-06-01T00:00:00Z') + random() * 205 * DAY);
    lastCreated = created;
    const id = uuid();
    ids.push(id);
    const direction = random() < 0.5 ? 'INCOMING' : 'OUTGOING';
    const type = pick(REQUEST_TYPES);
    const urgency = random() < 0.25 ? 'EMERGENCY' : pick(URGENCIES);
    const partner = pick(PARTNERS);
    const confidential = random() < 0.15;
    const deadline = random() < 0.3 ? new Date(created.getTime() + random() * 20 * DAY).toISOString() : null;
    await db.execute(sql`INSERT INTO requests (id, case_id, direction, type, status, urgency, requesting_state,
        requested_state, partner_state, body, legal_basis, legal_basis_reason, legal_basis_candidates,
        scope_result, scope_reason, drafted_by, created_at, updated_at, requested_deadline, exercise_id)
      VALUES (${id}, ${caseId}, ${direction}, ${type}, 'draft', ${urgency},
        ${direction === 'OUTGOING' ? 'VN' : partner}, ${direction === 'OUTGOING' ? partner : 'VN'}, ${partner},
        ${JSON.stringify(confidential ? { confidentialityRequired: true } : random() < 0.5 ? {} : { confidentialityRequired: false })}::jsonb,
        ${pick(LEGAL_BASES)}, 'seed', '[]'::jsonb, 'CONVENTION_OFFENCE', 'seed', 'seed',
        ${created.toISOString()}::timestamptz, ${created.toISOString()}::timestamptz, ${deadline}::timestamptz,
        ${random() < 0.08 ? exercise : null}::uuid)`);
    // Steps apart by minutes (emergencies) to days; some at the same instant as the one before.
    let at = created.getTime();
    const steps = chain(direction, type, partner).map((s) => {
      at += random() < 0.1 ? 0 : random() * (urgency === 'EMERGENCY' ? 0.2 : 6) * DAY;
      return { ...s, at: new Date(at) };
    });
    if (random() < 0.3) for (const s of steps) await insertSteps(db, id, [s]);
    else await insertSteps(db, id, steps);
    // A later step recording an earlier sending or receipt: the request's start moves back.
    if (steps.length > 0 && random() < 0.1)
      await insertSteps(db, id, [
        {
          action: direction === 'OUTGOING' ? 'send' : 'register_incoming',
          from: 'approved',
          to: 'sent',
          actor: 'node:VN',
          at: new Date(created.getTime() - random() * 3 * DAY),
        },
      ]);
  }
  // Requests edited after their steps: every column the figures break down by, the exercise, and
  // what makes a request the first of its case (its case, its creation).
  for (const id of ids.filter(() => random() < 0.25)) {
    const change = pick([
      'type',
      'partner',
      'urgency',
      'basis',
      'confidential',
      'deadline',
      'exercise',
      'status',
      'case',
      'created',
    ]);
    if (change === 'case')
      await db.execute(sql`UPDATE requests SET case_id = ${pick(caseIds)} WHERE id = ${id}`);
    if (change === 'created')
      await db.execute(
        sql`UPDATE requests SET created_at = created_at - interval '20 days' WHERE id = ${id}`,
      );
    if (change === 'type')
      await db.execute(sql`UPDATE requests SET type = ${pick(REQUEST_TYPES)} WHERE id = ${id}`);
    if (change === 'partner')
      await db.execute(sql`UPDATE requests SET partner_state = ${pick(PARTNERS)} WHERE id = ${id}`);
    if (change === 'urgency')
      await db.execute(sql`UPDATE requests SET urgency = ${pick(URGENCIES)} WHERE id = ${id}`);
    if (change === 'basis')
      await db.execute(sql`UPDATE requests SET legal_basis = ${pick(LEGAL_BASES)} WHERE id = ${id}`);
    if (change === 'confidential')
      await db.execute(sql`UPDATE requests SET body = jsonb_set(body, '{confidentialityRequired}',
          to_jsonb(NOT COALESCE((body->>'confidentialityRequired')::boolean, false))) WHERE id = ${id}`);
    if (change === 'deadline')
      await db.execute(
        sql`UPDATE requests SET requested_deadline = created_at + interval '3 days' WHERE id = ${id}`,
      );
    if (change === 'exercise')
      await db.execute(sql`UPDATE requests SET exercise_id = CASE WHEN exercise_id IS NULL THEN ${exercise}::uuid END
          WHERE id = ${id}`);
    if (change === 'status') await db.execute(sql`UPDATE requests SET status = 'closed' WHERE id = ${id}`);
  }
}

before(async () => {
  database = await createTestDatabase();
  await database.migrate();
  await seed(database.db);
});
after(() => database.close());

/** request_step_facts beside its definition, the timeline joined to the requests; its number of rows. */
async function compareFacts(db: Db, message: string): Promise<Record<string, unknown>[]> {
  const columns = sql`id, request_id, at, actor, action, from_status, to_status, refusal_ground, case_id,
    created_at, requested_deadline, exercise, confidential, type, direction, partner, urgency, legal_basis, started,
    first_of_case, first_answer, first_action_after`;
  const kept = rowsOf<Record<string, unknown>>(
    await db.execute(sql`SELECT ${columns} FROM request_step_facts ORDER BY id`),
  );
  const defined = rowsOf(
    await db.execute(sql`SELECT ${columns} FROM (SELECT e.id, e.request_id, e.at, e.actor, e.action,
        e.from_status, e.to_status, e.details->>'ground' AS refusal_ground, r.case_id, r.created_at,
        r.requested_deadline, r.exercise_id IS NOT NULL AS exercise,
        COALESCE(r.body->>'confidentialityRequired', 'false') = 'true' AS confidential, r.type, r.direction,
        r.partner_state AS partner, r.urgency, r.legal_basis,
        (SELECT min(s.at) FROM request_events s WHERE s.request_id = e.request_id
          AND s.action IN ('send', 'register_incoming')) AS started,
        NOT EXISTS (SELECT 1 FROM requests o WHERE o.case_id = r.case_id
          AND (o.created_at < r.created_at OR (o.created_at = r.created_at AND o.id < r.id))) AS first_of_case,
        e.to_status IN ${SETTLED} AND NOT EXISTS (SELECT 1 FROM request_events x WHERE x.request_id = e.request_id
          AND x.id < e.id AND x.to_status IN ${SETTLED}) AS first_answer,
        CASE WHEN ${byPerson('e')} AND e.action <> 'register_incoming' THEN (SELECT array_agg(s0.at ORDER BY s0.id)
          FROM request_events s0 WHERE s0.request_id = e.request_id AND s0.action = 'register_incoming'
            AND s0.id < e.id AND NOT EXISTS (SELECT 1 FROM request_events x WHERE x.request_id = e.request_id
              AND x.id > s0.id AND x.id < e.id AND ${byPerson('x')})) END AS first_action_after
      FROM request_events e JOIN requests r ON r.id = e.request_id) d ORDER BY id`),
  );
  assert.deepEqual(kept, defined, message);
  return kept;
}

test('the step facts hold the timeline joined to its requests, after steps and edits', async () => {
  const kept = await compareFacts(database.db, 'after the seed');
  assert.ok(kept.length > 1000, `a varied dataset (${kept.length} steps)`);
  assert.ok(
    kept.filter((r) => r.first_action_after !== null).length > 50,
    'steps that are the first by a person after a registration',
  );
});

/** request_step_counts (drizzle/0039) beside its definition: the step facts counted by month and key. */
async function compareCounts(db: Db, message: string): Promise<number> {
  const key = sql`action, from_status, to_status, refusal_ground, opens_case, confidential, type, direction,
    partner, urgency, legal_basis, exercise`;
  const kept = rowsOf(
    await db.execute(sql`SELECT month::text AS month, ${key}, n FROM request_step_counts WHERE n <> 0
      ORDER BY month, ${key}`),
  );
  const defined = rowsOf(
    await db.execute(sql`SELECT month, ${key}, count(*)::bigint AS n
      FROM (SELECT to_char(date_trunc('month', f.at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS month, f.*,
          f.action IN ('create', 'register_incoming') AND f.first_of_case AS opens_case
        FROM request_step_facts f) d
      GROUP BY month, ${key} ORDER BY month, ${key}`),
  );
  assert.deepEqual(kept, defined, message);
  return kept.length;
}

test('the step counts hold the step facts counted by month and key, after steps, edits and removals', async () => {
  assert.ok((await compareCounts(database.db, 'after the seed')) > 200, 'many combinations');
  // Rows taken away (no code path deletes a step; the trigger is there so that nothing can unbalance
  // the counts), then put back, in a transaction rolled back.
  const rolledBack = new Error('rolled back');
  await assert.rejects(
    database.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM request_step_facts WHERE id % 7 = 0`);
      await compareCounts(tx as unknown as Db, 'after a delete');
      throw rolledBack;
    }),
    (error) => error === rolledBack,
  );
  await compareCounts(database.db, 'after the rollback');
});

test('drizzle/0039 fills the counts and the two new columns from the steps already taken', async () => {
  // Its statements that fill them, run again over the seed (in a transaction rolled back) after
  // emptying what they fill.
  const fills = readFileSync(new URL('../../drizzle/0039_request_step_counts.sql', import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .map((text) => text.replace(/^(\s*--[^\n]*\n)*/, '').trim())
    .filter((text) => /^(UPDATE request_step_facts|INSERT INTO request_step_counts)/.test(text));
  assert.equal(fills.length, 3, 'two columns and the counts');
  const rolledBack = new Error('rolled back');
  await assert.rejects(
    database.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      await db.execute(sql`UPDATE request_step_facts SET first_answer = false, first_action_after = NULL`);
      await db.execute(sql`DELETE FROM request_step_counts`);
      for (const text of fills) await db.execute(sql.raw(text));
      await compareFacts(db, 'filled by the migration');
      await compareCounts(db, 'filled by the migration');
      throw rolledBack;
    }),
    (error) => error === rolledBack,
  );
});

const key = (r: { indicator: string; dimension: string; group: string | null }) =>
  `${r.indicator}|${r.dimension}|${r.group}`;

test('every figure is the same from the step facts as from the timeline', async () => {
  const filters: FigureFilters[] = [{}, { partner: 'FR' }, { direction: 'INCOMING', urgency: 'EMERGENCY' }];
  for (const [name, period] of Object.entries(PERIODS))
    for (const filter of filters) {
      const [facts, timeline] = await Promise.all(
        (['facts', 'timeline'] as const).map(async (source) =>
          (await rawFigures(database.db, period, DEFAULT_DEADLINE_POLICY, filter, source)).sort((a, b) =>
            key(a).localeCompare(key(b)),
          ),
        ),
      );
      assert.ok(
        timeline!.length > (Object.keys(filter).length > 0 ? 10 : 100),
        `${name}: figures to compare`,
      );
      assert.deepEqual(facts, timeline, `${name} ${JSON.stringify(filter)}`);
    }
});

test('every drill-down of the quarter lists the same requests from both', async () => {
  const period = PERIODS['2026-Q4']!;
  let listed = 0;
  for (const indicator of INDICATORS)
    for (const [dimension, group] of [
      ['total', null],
      ['partner', 'FR'],
      ['urgency', 'EMERGENCY'],
    ] as const) {
      assert.ok((DIMENSIONS as readonly string[]).includes(dimension));
      const selector = { indicator, dimension, group };
      const facts = await drillDown(
        database.db,
        period,
        DEFAULT_DEADLINE_POLICY,
        selector,
        true,
        {},
        'facts',
      );
      const timeline = await drillDown(
        database.db,
        period,
        DEFAULT_DEADLINE_POLICY,
        selector,
        true,
        {},
        'timeline',
      );
      assert.deepEqual(facts, timeline, `${indicator} by ${dimension}`);
      listed += facts.count;
    }
  assert.ok(listed > 500, `drill-downs with requests in them (${listed})`);
});
