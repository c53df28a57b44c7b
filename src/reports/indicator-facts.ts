// The one definition of what each indicator counts: a SQL query yielding one "fact" per counted
// thing (a request's step, a fired expiry timer, a hub alert, a sighting), with the dimensions it is
// broken down by and the audit entry that recorded it. The figures (GROUP BY over these facts) and
// the drill-down (the facts themselves) come from the same text, so a figure always equals the
// length of its drill-down.
import { type SQL, sql } from 'drizzle-orm';
import { REQUEST_TYPES, URGENCIES } from '../domain/codes.ts';
import type { DeadlinePolicy } from '../domain/requests/deadlines.ts';
import { durationMs } from '../domain/requests/durations.ts';

export type Interval = { start: Date; end: Date };

const SETTLED_ANSWERS = sql`('executed', 'partially_executed', 'refused')`;

/**
 * The columns only some facts have: when a request arrived (24/7 availability), and an amount
 * (bytes); then how many facts the row stands for (`weight`: 1, except for added-up steps, below).
 */
const NO_EXTRA = sql`NULL::text AS hour, NULL::text AS weekday, NULL::float8 AS amount, 1::bigint AS weight`;
const ONE = sql`1::bigint AS weight`;

/** Columns every part yields, in this order. */
const REQUEST_COLUMNS = sql`r.id AS request_id,
  COALESCE(r.body->>'confidentialityRequired', 'false') = 'true' AS confidential,
  r.type AS type, r.direction AS direction, r.partner_state AS partner, r.urgency AS urgency,
  r.legal_basis AS legal_basis`;

/**
 * The deadline that applied to each type and urgency, from the node's policy, in seconds, as one
 * JSON value read per row (a joined VALUES table would make the planner start from every request
 * instead of from the period's steps).
 */
function deadlineSeconds(policy: DeadlinePolicy): { ack: SQL; exec: SQL } {
  const ack: Record<string, number> = {};
  const exec: Record<string, Record<string, number>> = {};
  for (const urgency of URGENCIES) ack[urgency] = durationMs(policy.acknowledge[urgency]) / 1000;
  for (const type of REQUEST_TYPES) {
    exec[type] = {};
    for (const urgency of URGENCIES)
      exec[type][urgency] =
        durationMs(policy.executeByType[type]?.[urgency] ?? policy.execute[urgency]) / 1000;
  }
  return {
    ack: sql`(${JSON.stringify(ack)}::jsonb ->> e.urgency)::float8`,
    exec: sql`(${JSON.stringify(exec)}::jsonb -> e.type ->> e.urgency)::float8`,
  };
}

/** Exercise requests (issue #18) are training: they never count in the implementation figures. */
const REAL_ONLY = sql`r.exercise_id IS NULL`;

/**
 * Where the period's steps and their requests' columns are read from. `facts` (the figures): the
 * table drizzle/0037 keeps, one narrow row per step with its request's columns, the request's first
 * sending or receipt (`started`), whether it is the first of its case, and (drizzle/0039) whether it
 * is its request's first settled answer and which registrations it is the first step by a person
 * after, read by `at`; and the step counts per month drizzle/0039 keeps. `timeline`: the definition
 * those tables must agree with, the timeline joined to the requests, each looked up per step (kept
 * for the test that compares the two, test/reports/indicator-step-facts.test.ts).
 */
export type StepSource = 'facts' | 'timeline';

/**
 * The period's steps of real requests, each with its request's columns. From the facts table, a
 * range of narrow rows by `at`, not materialized: each part below reads its own steps with its own
 * conditions, the answers (drizzle/0037) and the first steps by a person on a request received
 * (drizzle/0039) from a partial index of their own, a tenth of the period's rows or less each. From
 * the timeline, one materialized CTE that the parts share (the join is made once), each step's
 * request looked up by its key (LATERAL; OFFSET 0 keeps the planner from making it a hash join, which
 * read every request ever stored, a million wide rows, to find the quarter's hundred thousand).
 */
function periodSteps(p: Interval, source: StepSource): SQL {
  const start = sql`${p.start.toISOString()}::timestamptz`;
  const end = sql`${p.end.toISOString()}::timestamptz`;
  if (source === 'facts')
    return sql`steps AS NOT MATERIALIZED (SELECT e.id, e.at, e.actor, e.action, e.from_status, e.to_status,
      e.refusal_ground, e.case_id, e.created_at, e.requested_deadline, e.request_id, e.confidential, e.type,
      e.direction, e.partner, e.urgency, e.legal_basis, e.started, e.first_answer, e.first_action_after,
      e.action IN ('create', 'register_incoming') AND e.first_of_case AS opens_case
    FROM request_step_facts e WHERE e.at >= ${start} AND e.at < ${end} AND NOT e.exercise)`;
  return sql`steps AS MATERIALIZED (SELECT e.id, e.at, e.actor, e.action, e.from_status, e.to_status,
      e.details->>'ground' AS refusal_ground, r.*,
      e.action IN ('create', 'register_incoming') AND NOT EXISTS (
        SELECT 1 FROM requests r2 WHERE r2.case_id = r.case_id
          AND (r2.created_at < r.created_at OR (r2.created_at = r.created_at AND r2.id < r.request_id)))
        AS opens_case
    FROM request_events e
    JOIN LATERAL (SELECT r.case_id, r.created_at, r.requested_deadline, ${REQUEST_COLUMNS}
      FROM requests r WHERE r.id = e.request_id AND ${REAL_ONLY} OFFSET 0) r ON true
    WHERE e.at >= ${start} AND e.at < ${end})`;
}

/** REQUEST_COLUMNS as the steps CTE carries them. */
const STEP_COLUMNS = sql`e.request_id, e.confidential, e.type, e.direction, e.partner, e.urgency, e.legal_basis`;

/** Counts from the request timeline: each step taken in the period. */
function stepFacts(): SQL {
  const from = (state: string) => sql`e.to_status = ${state} AND e.from_status IS DISTINCT FROM ${state}`;
  return sql`SELECT m.indicator, 'request' AS object_type, e.request_id::text AS object_id, e.at,
      'request.' || e.action AS audit_action, ${STEP_COLUMNS},
      CASE WHEN m.indicator = 'requests_refused' THEN e.refusal_ground END AS ground,
      NULL::text AS kind, NULL::float8 AS seconds, false AS has_deadline, false AS within,
      NULL::text AS hour, NULL::text AS weekday, NULL::float8 AS amount, e.weight
    FROM step_rows e
    CROSS JOIN LATERAL (VALUES
      ('requests_opened', e.action IN ('create', 'register_incoming')),
      ('requests_sent', e.action = 'send'),
      ('requests_received', e.action = 'register_incoming'),
      ('requests_executed', ${from('executed')}),
      ('requests_refused', ${from('refused')}),
      ('requests_postponed', ${from('postponed')}),
      ('requests_withdrawn', ${from('withdrawn')}),
      ('preservation_executed', e.type = 'PRESERVATION' AND ${from('executed')}),
      ('preservation_extended', e.action IN ('extend_preservation', 'record_extension')),
      ('cases_opened', e.opens_case)
    ) AS m(indicator, hit)
    WHERE m.hit`;
}

/**
 * Response times, counted in the period the answer came in: from sending (outgoing) or receipt
 * (incoming) to the acknowledgement, to execution, and for emergencies to the first answer.
 */
function timeFacts(policy: DeadlinePolicy, source: StepSource): SQL {
  const dl = deadlineSeconds(policy);
  // From the timeline, the start is looked up only for the steps that are answers (OFFSET 0 keeps the
  // planner from looking it up for every step of the period first); the first condition, a cheap
  // superset of the three, leaves the other steps before the three are tried. The facts carry it.
  const started =
    source === 'facts'
      ? sql``
      : sql`, (SELECT min(s0.at) FROM request_events s0
            WHERE s0.request_id = e.request_id AND s0.action IN ('send', 'register_incoming')) AS started`;
  // The first settled answer of its request (by id): the facts carry it (drizzle/0039).
  const firstAnswer =
    source === 'facts'
      ? sql`e.first_answer`
      : sql`e.to_status IN ${SETTLED_ANSWERS} AND NOT EXISTS (SELECT 1 FROM request_events x
          WHERE x.request_id = e.request_id AND x.id < e.id AND x.to_status IN ${SETTLED_ANSWERS})`;
  return sql`SELECT e.indicator, 'request' AS object_type, e.request_id::text AS object_id, e.at,
      'request.' || e.action AS audit_action, ${STEP_COLUMNS}, NULL::text AS ground, NULL::text AS kind,
      extract(epoch FROM (e.at - e.started))::float8 AS seconds, true AS has_deadline,
      CASE WHEN e.indicator = 'time_to_acknowledge' THEN extract(epoch FROM (e.at - e.started)) <= ${dl.ack}
        ELSE e.at <= LEAST(e.started + ${dl.exec} * interval '1 second',
                           COALESCE(e.requested_deadline, 'infinity'::timestamptz)) END AS within,
      ${NO_EXTRA}
    FROM (SELECT e.*, m.indicator${started}
      FROM steps e
      CROSS JOIN LATERAL (VALUES
        ('time_to_acknowledge', e.action IN ('acknowledge', 'record_acknowledgement')),
        ('time_to_execute', e.to_status = 'executed' AND e.from_status IS DISTINCT FROM 'executed'),
        ('emergency_answer', e.urgency = 'EMERGENCY' AND ${firstAnswer})
      ) AS m(indicator, hit)
      WHERE (e.action IN ('acknowledge', 'record_acknowledgement') OR e.to_status IN ${SETTLED_ANSWERS})
        AND m.hit OFFSET 0) e
    WHERE e.started IS NOT NULL`;
}

/** Preservations whose expiry fired in the period with no other kind of request linked to them. */
function expiryFacts(p: Interval): SQL {
  return sql`SELECT 'preservation_expired_without_follow_up' AS indicator, 'request' AS object_type,
      t.request_id::text AS object_id, t.done_at AS at, 'request.timer' AS audit_action, ${REQUEST_COLUMNS},
      NULL::text AS ground, NULL::text AS kind, NULL::float8 AS seconds, false AS has_deadline, false AS within,
      ${NO_EXTRA}
    FROM request_timers t JOIN requests r ON r.id = t.request_id
    WHERE t.kind = 'PRESERVATION_EXPIRY' AND r.type = 'PRESERVATION' AND ${REAL_ONLY}
      AND t.done_at >= ${p.start.toISOString()}::timestamptz AND t.done_at < ${p.end.toISOString()}::timestamptz
      AND NOT EXISTS (
        SELECT 1 FROM request_links l
        JOIN requests f ON f.id = CASE WHEN l.request_id = r.id THEN l.linked_id ELSE l.request_id END
        WHERE (l.request_id = r.id OR l.linked_id = r.id) AND f.type <> 'PRESERVATION')`;
}

const NO_REQUEST = sql`NULL::uuid AS request_id, false AS confidential, NULL::text AS type,
  NULL::text AS direction, NULL::text AS partner, NULL::text AS urgency, NULL::text AS legal_basis,
  NULL::text AS ground`;
const NO_TIME_ONLY = sql`NULL::float8 AS seconds, false AS has_deadline, false AS within`;
const NO_TIME = sql`NULL::float8 AS seconds, false AS has_deadline, false AS within, ${NO_EXTRA}`;

/** The early-warning hub: members (at the end of the period), alerts, indicators, feedback. */
function hubFacts(p: Interval): SQL {
  const start = sql`${p.start.toISOString()}::timestamptz`;
  const end = sql`${p.end.toISOString()}::timestamptz`;
  return sql`SELECT 'hub_members' AS indicator, 'hub_org' AS object_type, o.id::text AS object_id,
      o.created_at AS at, 'hub.org.create' AS audit_action, ${NO_REQUEST}, o.kind AS kind, ${NO_TIME}
    FROM hub_orgs o WHERE o.created_at < ${end}
  UNION ALL
  SELECT 'hub_alerts_published', 'hub_alert', a.id::text, a.created_at, 'hub.alert.publish', ${NO_REQUEST},
      a.kind, ${NO_TIME}
    FROM hub_alerts a WHERE a.created_at >= ${start} AND a.created_at < ${end}
      AND EXISTS (SELECT 1 FROM audit_entries x WHERE x.object_type = 'hub_alert'
                    AND x.object_id = a.id::text AND x.action = 'hub.alert.publish')
  UNION ALL
  SELECT 'hub_indicators_shared', 'hub_alert', a.id::text, a.created_at, 'hub.alert.publish', ${NO_REQUEST},
      i.type, ${NO_TIME}
    FROM hub_indicators i JOIN hub_alerts a ON a.id = i.alert_id
    WHERE a.created_at >= ${start} AND a.created_at < ${end}
      AND EXISTS (SELECT 1 FROM audit_entries x WHERE x.object_type = 'hub_alert'
                    AND x.object_id = a.id::text AND x.action = 'hub.alert.publish')
  UNION ALL
  SELECT CASE WHEN h.kind = 'sighting' THEN 'hub_sightings' ELSE 'hub_false_positives' END, 'hub_alert',
      h.alert_id::text, h.created_at,
      CASE WHEN h.kind = 'sighting' THEN 'hub.alert.sighting' ELSE 'hub.alert.false_positive' END,
      ${NO_REQUEST}, a.kind, ${NO_TIME}
    FROM hub_reports h JOIN hub_alerts a ON a.id = h.alert_id
    WHERE h.created_at >= ${start} AND h.created_at < ${end}`;
}

/**
 * The 24/7 point's availability: for each request received, the time from its registration to the
 * first step a person took on it, counted in the period of that step and broken down by the hour of
 * day and day of week (UTC, ISO: 1 = Monday) at which the request arrived.
 */
function availabilityFacts(source: StepSource): SQL {
  const byPerson = (alias: string) =>
    sql.raw(`${alias}.actor NOT LIKE 'node:%' AND ${alias}.actor NOT LIKE 'system:%'`);
  // The facts carry, on each step a person took first after one or more registrations, the instants
  // of those registrations (drizzle/0039): the period's such steps of requests received, from a
  // partial index, and no look-up. From the timeline (the definition): from the period's steps by a
  // person, the registration, and whether a person acted between it and the step, looked up per step
  // (LATERAL, the index on request_id; OFFSET 0 keeps the planner from turning them into joins,
  // which read every registration, or every step ever taken, to hash them).
  const registrations =
    source === 'facts'
      ? sql`CROSS JOIN LATERAL unnest(e.first_action_after) AS s(at)
    WHERE e.direction = 'INCOMING' AND e.first_action_after IS NOT NULL`
      : sql`JOIN LATERAL (SELECT s0.id, s0.at FROM request_events s0 WHERE s0.request_id = e.request_id
                    AND s0.action = 'register_incoming' AND s0.id < e.id
                    AND NOT EXISTS (SELECT 1 FROM request_events x WHERE x.request_id = e.request_id
                                      AND x.id > s0.id AND x.id < e.id AND ${byPerson('x')})
                    OFFSET 0) s ON true
    WHERE e.direction = 'INCOMING' AND e.action <> 'register_incoming' AND ${byPerson('e')}`;
  return sql`SELECT 'time_to_first_action' AS indicator, 'request' AS object_type, e.request_id::text AS object_id,
      e.at, 'request.' || e.action AS audit_action, ${STEP_COLUMNS}, NULL::text AS ground, NULL::text AS kind,
      extract(epoch FROM (e.at - s.at))::float8 AS seconds, false AS has_deadline, false AS within,
      lpad(extract(hour FROM s.at AT TIME ZONE 'UTC')::int::text, 2, '0') AS hour,
      extract(isodow FROM s.at AT TIME ZONE 'UTC')::int::text AS weekday, NULL::float8 AS amount, ${ONE}
    FROM steps e
    ${registrations}`;
}

/**
 * Evidence packages delivered to a partner (its signed receipt came back) and received from one
 * (every item checked against the signed manifest), with their bytes, and the chunks or items
 * received that were refused, by reason (`kind`): from the chain of custody. An exercise's packages
 * never count (issue #18).
 */
function evidenceFacts(p: Interval): SQL {
  return sql`SELECT m.indicator, 'evidence_package' AS object_type, c.package_id::text AS object_id, c.at,
      c.action AS audit_action, ${REQUEST_COLUMNS}, NULL::text AS ground,
      CASE WHEN m.indicator = 'evidence_verification_failures' THEN c.details->>'reason' END AS kind,
      ${NO_TIME_ONLY},
      NULL::text AS hour, NULL::text AS weekday,
      CASE WHEN m.bytes THEN (SELECT COALESCE(sum(i.size), 0) FROM evidence_package_items pi
                              JOIN evidence_items i ON i.id = pi.item_id
                              WHERE pi.package_id = c.package_id)::float8 END AS amount, ${ONE}
    FROM evidence_custody c JOIN requests r ON r.id = c.request_id
    CROSS JOIN LATERAL (VALUES
      ('evidence_packages_delivered', 'evidence.package_delivered', false),
      ('evidence_bytes_delivered', 'evidence.package_delivered', true),
      ('evidence_packages_received', 'evidence.package_verify', false),
      ('evidence_bytes_received', 'evidence.package_verify', true),
      ('evidence_verification_failures', 'evidence.verification_failed', false)
    ) AS m(indicator, action, bytes)
    WHERE c.action = m.action AND c.package_id IS NOT NULL AND ${REAL_ONLY}
      AND NOT EXISTS (SELECT 1 FROM evidence_packages x WHERE x.id = c.package_id AND x.exercise_id IS NOT NULL)
      AND c.at >= ${p.start.toISOString()}::timestamptz AND c.at < ${p.end.toISOString()}::timestamptz`;
}

/**
 * The hub's checks answered and hits (src/hub/check-tally.ts): one fact per hour and mode, its
 * number in `amount`, broken down by mode (exact or privacy) as `kind`.
 */
function checkFacts(p: Interval): SQL {
  return sql`SELECT m.indicator, 'hub_check_hour' AS object_type, c.hour::text AS object_id, c.hour AS at,
      NULL::text AS audit_action, ${NO_REQUEST}, c.mode AS kind, ${NO_TIME_ONLY},
      NULL::text AS hour, NULL::text AS weekday,
      (CASE WHEN m.hits THEN c.hits ELSE c.checks END)::float8 AS amount, ${ONE}
    FROM hub_check_counts c
    CROSS JOIN LATERAL (VALUES ('hub_checks_answered', false), ('hub_check_hits', true)) AS m(indicator, hits)
    WHERE c.hour >= ${p.start.toISOString()}::timestamptz AND c.hour < ${p.end.toISOString()}::timestamptz`;
}

/**
 * The columns of a step that decide which step indicators it counts in and how it is broken down:
 * steps alike in all of them count alike, so the figures add them up before counting (below).
 */
const STEP_KEY = sql`action, from_status, to_status, refusal_ground, opens_case, confidential, type,
  direction, partner, urgency, legal_basis`;

/** The whole UTC months within a period (null when there is none), and the parts of it outside them. */
export function monthsWithin(p: Interval): { months: Interval | null; rest: Interval[] } {
  const monthStart = (d: Date, next: boolean) =>
    new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (next ? 1 : 0), 1));
  const first = monthStart(p.start, monthStart(p.start, false).getTime() !== p.start.getTime());
  const last = monthStart(p.end, false);
  if (first.getTime() >= last.getTime()) return { months: null, rest: [p] };
  const rest = [
    { start: p.start, end: first },
    { start: last, end: p.end },
  ].filter((r) => r.start.getTime() < r.end.getTime());
  return { months: { start: first, end: last }, rest };
}

/**
 * The period's steps added up by STEP_KEY, each combination with its number as `weight`. From the
 * facts: the counts drizzle/0039 keeps per UTC month for the whole months of the period (every
 * report period is whole months: a few thousand rows a month), and the steps themselves for any
 * part of it that is not a whole month. From the timeline: the period's steps.
 */
function addedSteps(p: Interval, source: StepSource): SQL {
  // An added-up row stands for many steps: it has no object or instant of its own.
  const head = sql`SELECT NULL::uuid AS request_id, NULL::timestamptz AS at, ${STEP_KEY}`;
  const grouped = (where: SQL) =>
    sql`${head}, count(*) AS weight FROM steps WHERE ${where} GROUP BY ${STEP_KEY}`;
  if (source === 'timeline') return grouped(sql`true`);
  const { months, rest } = monthsWithin(p);
  const parts = rest.map((r) =>
    grouped(sql`at >= ${r.start.toISOString()}::timestamptz AND at < ${r.end.toISOString()}::timestamptz`),
  );
  if (months)
    parts.unshift(sql`${head}, sum(n)::bigint AS weight FROM request_step_counts
      WHERE month >= ${months.start.toISOString().slice(0, 10)}::date
        AND month < ${months.end.toISOString().slice(0, 10)}::date AND NOT exercise
      GROUP BY ${STEP_KEY} HAVING sum(n) <> 0`);
  return sql.join(parts, sql` UNION ALL `);
}

/**
 * Every fact of the period, as one derived table `f`. With `added` (the figures), the step counts
 * come from the period's steps added up by STEP_KEY (addedSteps: a few thousand rows, each with its
 * number as `weight`, and no object or instant) rather than one row per step: the same definitions
 * over hundreds of times fewer rows. Without it (the drill-down), each step is its own fact of
 * weight 1.
 */
export function factsQuery(
  p: Interval,
  policy: DeadlinePolicy,
  added = false,
  source: StepSource = 'facts',
): SQL {
  const stepRows = added ? addedSteps(p, source) : sql`SELECT *, 1::bigint AS weight FROM steps`;
  return sql`(WITH ${periodSteps(p, source)}, step_rows AS (${stepRows})
    ${stepFacts()} UNION ALL ${timeFacts(policy, source)} UNION ALL ${expiryFacts(p)}
    UNION ALL ${hubFacts(p)} UNION ALL ${availabilityFacts(source)} UNION ALL ${evidenceFacts(p)}
    UNION ALL ${checkFacts(p)}) AS f`;
}

/** How each fact is broken down; confidential requests only count in the total. */
export const BREAKDOWN = sql`CROSS JOIN LATERAL (VALUES ('total', NULL::text), ('type', f.type),
    ('direction', f.direction), ('partner', f.partner), ('urgency', f.urgency),
    ('legal_basis', f.legal_basis), ('ground', f.ground), ('kind', f.kind), ('hour', f.hour),
    ('weekday', f.weekday)) AS d(dimension, grp)
  WHERE (d.dimension = 'total' OR (d.grp IS NOT NULL AND NOT f.confidential))`;
