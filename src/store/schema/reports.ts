// Periodic implementation reports (drizzle/0017_reports.sql): the signed JWS is the report; the
// other columns index it. Released only by someone other than the builder.
import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const indicatorReports = pgTable(
  'indicator_reports',
  {
    id: uuid('id').primaryKey(),
    period: text('period').notNull(),
    periodStart: ts('period_start').notNull(),
    periodEnd: ts('period_end').notNull(),
    jws: text('jws').notNull(),
    treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
    rootHash: text('root_hash').notNull(),
    builtBy: text('built_by').notNull(),
    builtAt: ts('built_at').notNull(),
    releasedBy: text('released_by'),
    releasedAt: ts('released_at'),
  },
  (t) => [
    index('indicator_reports_period_idx').on(t.period, t.builtAt),
    index('indicator_reports_released_idx').on(t.releasedAt).where(sql`${t.releasedAt} IS NOT NULL`),
    check('indicator_reports_four_eyes', sql`${t.releasedBy} IS NULL OR ${t.releasedBy} <> ${t.builtBy}`),
  ],
);

// Regional aggregates (drizzle/0024_regional_reports.sql): on a regional hub, the released signed
// reports of its member nodes, kept as received (the JWS) once their signature was checked.
export const regionalMemberReports = pgTable(
  'regional_member_reports',
  {
    id: uuid('id').primaryKey(),
    region: text('region').notNull(),
    node: text('node').notNull(),
    period: text('period').notNull(),
    periodStart: ts('period_start').notNull(),
    generatedAt: ts('generated_at').notNull(),
    jws: text('jws').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [index('regional_member_reports_period_idx').on(t.region, t.period, t.node, t.generatedAt)],
);

// The hub's checks answered and hits per hour and mode (drizzle/0024_regional_reports.sql): counts
// only, added to by each replica (src/hub/check-tally.ts).
export const hubCheckCounts = pgTable(
  'hub_check_counts',
  {
    hour: ts('hour').notNull(),
    mode: text('mode').notNull(),
    checks: bigint('checks', { mode: 'number' }).notNull(),
    hits: bigint('hits', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'hub_check_counts_pk', columns: [t.hour, t.mode] })],
);
