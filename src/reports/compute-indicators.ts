// Figures of a period and the drill-down behind one figure, both over the facts of
// indicator-facts.ts, in SQL, on PGlite and PostgreSQL alike.
import { type SQL, sql } from 'drizzle-orm';
import { LEGAL_BASES, REQUEST_TYPES, URGENCIES } from '../domain/codes.ts';
import {
  DIMENSIONS,
  type Dimension,
  type DrillDown,
  INDICATORS,
  type PublishedFigure,
  publishCounts,
  publishTimes,
  type RawTime,
  sortFigures,
  TIME_INDICATORS,
} from '../domain/indicators-report/index.ts';
import type { DeadlinePolicy } from '../domain/requests/deadlines.ts';
import { ValidationError } from '../shared/errors.ts';
import { type Db, rowsOf } from '../store/database.ts';
import { BREAKDOWN, factsQuery, type Interval, type StepSource } from './indicator-facts.ts';

type Row = {
  indicator: string;
  dimension: string;
  grp: string | null;
  n: number | string;
  median_s: number | string | null;
  p90_s: number | string | null;
  with_deadline: number | string;
  within_deadline: number | string;
  amount: number | string | null;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** Facts of requests with these properties only (the desk's filters); empty: every fact. */
export type FigureFilters = {
  type?: string;
  direction?: string;
  partner?: string;
  urgency?: string;
  legal_basis?: string;
};

const FILTER_VALUES: Record<keyof FigureFilters, readonly string[] | RegExp> = {
  type: REQUEST_TYPES,
  direction: ['INCOMING', 'OUTGOING'],
  partner: /^[A-Z]{2,3}$/,
  urgency: URGENCIES,
  legal_basis: LEGAL_BASES,
};

/** The filters given (empty values dropped), each checked against its closed list; a 400 names the field. */
export function checkFilters(input: Record<string, unknown>): FigureFilters {
  const out: FigureFilters = {};
  const problems = [];
  for (const [name, allowed] of Object.entries(FILTER_VALUES) as [
    keyof FigureFilters,
    readonly string[] | RegExp,
  ][]) {
    const value = input[name];
    if (value === undefined || value === null || value === '') continue;
    const text = String(value);
    const ok = allowed instanceof RegExp ? allowed.test(text) : allowed.includes(text);
    if (!ok)
      problems.push({
        field: name,
        message:
          allowed instanceof RegExp
            ? 'must be a State code such as FR'
            : `must be one of ${allowed.join(', ')}`,
      });
    else out[name] = text;
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return out;
}

/**
 * The filters as SQL over the facts, appended to BREAKDOWN's WHERE. A filtered figure is a
 * breakdown, so confidential requests (counted only in totals) are left out of it.
 */
function filterSql(filters: FigureFilters): SQL {
  const parts: SQL[] = [];
  const column: Record<keyof FigureFilters, SQL> = {
    type: sql`f.type`,
    direction: sql`f.direction`,
    partner: sql`f.partner`,
    urgency: sql`f.urgency`,
    legal_basis: sql`f.legal_basis`,
  };
  for (const [name, value] of Object.entries(filters) as [keyof FigureFilters, string][])
    parts.push(sql` AND ${column[name]} = ${value}`);
  if (parts.length > 0) parts.push(sql` AND NOT f.confidential`);
  return sql.join(parts, sql``);
}

/** The columns a fact is broken down by (BREAKDOWN reads them), kept when facts are added up. */
const FACT_DIMENSIONS = sql`confidential, type, direction, partner, urgency, legal_basis, ground, kind, hour, weekday`;

/**
 * The SQL of the raw figures. The period's facts are read once (a materialized CTE; steps already
 * added up, see factsQuery), then: counts are added up first per indicator and combination of
 * dimensions (a few hundred rows however many facts), and only those sums are spread over the
 * breakdowns; medians and percentiles need each
 * duration, so only the facts that carry one (response times, a small share) are spread: hashed into
 * one array of durations per figure, each array then sorted on its own (a sort of the spread rows by
 * figure, text keys, cost more than all the figures together).
 * Spreading every fact over the ten breakdowns before one GROUP BY made ten rows per fact to sort.
 */
export function figuresSql(
  period: Interval,
  policy: DeadlinePolicy,
  filters: FigureFilters = {},
  source: StepSource = 'facts',
): SQL {
  return sql`WITH facts AS MATERIALIZED (SELECT * FROM ${factsQuery(period, policy, true, source)}),
    sums AS (SELECT f.indicator, ${FACT_DIMENSIONS}, sum(f.weight) AS n,
        COALESCE(sum(f.weight) FILTER (WHERE f.has_deadline), 0) AS with_deadline,
        COALESCE(sum(f.weight) FILTER (WHERE f.within), 0) AS within_deadline,
        sum(f.amount) AS amount
      FROM facts f GROUP BY f.indicator, ${FACT_DIMENSIONS}),
    counts AS (SELECT f.indicator, d.dimension, d.grp, sum(f.n) AS n,
        sum(f.with_deadline) AS with_deadline, sum(f.within_deadline) AS within_deadline,
        sum(f.amount) AS amount
      FROM sums f ${BREAKDOWN}${filterSql(filters)}
      GROUP BY f.indicator, d.dimension, d.grp),
    durations AS (SELECT f.indicator, d.dimension, d.grp, array_agg(f.seconds) AS seconds
      FROM (SELECT * FROM facts WHERE seconds IS NOT NULL) f ${BREAKDOWN}${filterSql(filters)}
      GROUP BY f.indicator, d.dimension, d.grp),
    times AS (SELECT t.indicator, t.dimension, t.grp, p.median_s, p.p90_s FROM durations t
      CROSS JOIN LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS median_s,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY s) AS p90_s FROM unnest(t.seconds) AS s) p)
    SELECT c.indicator, c.dimension, c.grp, c.n, t.median_s, t.p90_s, c.with_deadline,
      c.within_deadline, c.amount
    FROM counts c LEFT JOIN times t ON t.indicator = c.indicator AND t.dimension = c.dimension
      AND t.grp IS NOT DISTINCT FROM c.grp`;
}

/**
 * Runs the figures' SQL in a transaction of its own (a savepoint inside a caller's) with two
 * settings of that transaction only. JIT off: the query is long (some 200 expressions) and its
 * estimated cost high, so PostgreSQL compiled it with LLVM first, seconds of compiling for a query
 * that then runs in less (EXPLAIN ANALYZE: 1 to 18 s of JIT on a loaded machine). work_mem 64 MB:
 * adding up a quarter's steps (hundreds of thousands of rows) then hashes in memory instead of
 * sorting on disk. PGlite has no JIT and accepts both settings.
 */
async function figureQuery<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
    return rowsOf<T>(await tx.execute(query));
  });
}

/** Raw counts and times per indicator and breakdown (before suppression). */
export async function rawFigures(
  db: Db,
  period: Interval,
  policy: DeadlinePolicy,
  filters: FigureFilters = {},
  source: StepSource = 'facts',
): Promise<RawTime[]> {
  const rows = await figureQuery<Row>(db, figuresSql(period, policy, filters, source));
  return rows.map((r) => ({
    indicator: r.indicator,
    dimension: r.dimension,
    group: r.grp,
    count: Number(r.n),
    medianSeconds: num(r.median_s),
    p90Seconds: num(r.p90_s),
    withDeadline: Number(r.with_deadline),
    withinDeadline: Number(r.within_deadline),
    amount: r.amount === null ? 0 : Number(r.amount),
  }));
}

/** The published figures: every indicator has a total (0 when nothing happened), then breakdowns. */
export async function computeFigures(
  db: Db,
  period: Interval,
  policy: DeadlinePolicy,
  threshold: number,
  filters: FigureFilters = {},
): Promise<PublishedFigure[]> {
  const raw = await rawFigures(db, period, policy, filters);
  for (const indicator of INDICATORS) {
    if (!raw.some((r) => r.indicator === indicator && r.dimension === 'total')) {
      raw.push({
        indicator,
        dimension: 'total',
        group: null,
        count: 0,
        medianSeconds: null,
        p90Seconds: null,
        withDeadline: 0,
        withinDeadline: 0,
      });
    }
  }
  const isTime = (i: string) => (TIME_INDICATORS as readonly string[]).includes(i);
  return sortFigures([
    ...publishCounts(
      raw.filter((r) => !isTime(r.indicator)),
      threshold,
    ),
    ...publishTimes(
      raw.filter((r) => isTime(r.indicator)),
      threshold,
    ),
  ]);
}

export type FigureSelector = { indicator: string; dimension: string; group?: string | null };

/** Checks the selector names an indicator and a breakdown (group required except for the total). */
export function checkSelector(s: FigureSelector): void {
  const problems = [];
  if (!(INDICATORS as readonly string[]).includes(s.indicator))
    problems.push({ field: 'indicator', message: `must be one of ${INDICATORS.join(', ')}` });
  if (!(DIMENSIONS as readonly string[]).includes(s.dimension))
    problems.push({ field: 'dimension', message: `must be one of ${DIMENSIONS.join(', ')}` });
  else if (s.dimension !== 'total' && !s.group)
    problems.push({ field: 'group', message: `name the ${s.dimension} whose figure you want` });
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * The requests (or hub objects) and the audit entries behind one figure. Confidential requests are
 * listed only to readers allowed to see them (`showConfidential`); the others get their number.
 */
export async function drillDown(
  db: Db,
  period: Interval,
  policy: DeadlinePolicy,
  selector: FigureSelector,
  showConfidential: boolean,
  filters: FigureFilters = {},
  source: StepSource = 'facts',
): Promise<DrillDown> {
  checkSelector(selector);
  const dimension = selector.dimension as Dimension;
  const group = dimension === 'total' ? null : (selector.group ?? null);
  const rows = await figureQuery<{
    object_type: string;
    object_id: string;
    at: string | Date;
    seq: number | string | null;
    confidential: boolean;
  }>(
    db,
    sql`SELECT g.object_type, g.object_id, g.at, g.confidential, a.seq
      FROM (SELECT f.object_type, f.object_id, f.at, f.audit_action, f.confidential
        FROM ${factsQuery(period, policy, false, source)} ${BREAKDOWN}${filterSql(filters)}
          AND f.indicator = ${selector.indicator} AND d.dimension = ${dimension}
          AND d.grp IS NOT DISTINCT FROM ${group}::text) g
      LEFT JOIN LATERAL (SELECT x.seq FROM audit_entries x WHERE x.object_type = g.object_type
          AND x.object_id = g.object_id AND x.action = g.audit_action AND x.at = g.at
        ORDER BY x.seq LIMIT 1) a ON true
      ORDER BY g.at, g.object_id`,
  );
  const visible = rows.filter((r) => showConfidential || !r.confidential);
  return {
    indicator: selector.indicator,
    dimension,
    group,
    count: rows.length,
    hidden: rows.length - visible.length,
    items: visible.map((r) => ({
      objectType: r.object_type,
      objectId: r.object_id,
      at: new Date(r.at).toISOString(),
      auditSeq: r.seq === null ? null : Number(r.seq),
      confidential: r.confidential,
    })),
  };
}
