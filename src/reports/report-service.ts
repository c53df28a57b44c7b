// Periodic reports: build (compute, sign with the checkpoint, store — all or nothing), release by a
// second person, list and read, and the live figures and drill-down for the desk and auditors.
import { and, count, desc, eq, isNotNull, lt } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { AuditService } from '../audit/audit-service.ts';
import {
  DEFAULT_SUPPRESSION_THRESHOLD,
  parsePeriod,
  type ReportPeriod,
} from '../domain/indicators-report/index.ts';
import { type DeadlinePolicy, resolveDeadlinePolicy } from '../domain/requests/deadlines.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Database, Db } from '../store/database.ts';
import { indicatorReports } from '../store/schema/index.ts';
import { computeFigures, drillDown, type FigureFilters, type FigureSelector } from './compute-indicators.ts';
import { type IndicatorReport, reportDocument, type SignedReportFile } from './report-document.ts';

export type ReportActor = { id: string };

export type ReportOptions = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  audit: Pick<AuditService, 'signTreeHead'>;
  nodeState: string;
  deadlinePolicy?: Partial<DeadlinePolicy> | null;
  threshold?: number;
  /** In the release transaction: e.g. the report queued for the region's hub. */
  onRelease?: (tx: Db, jws: string, now: Date) => Promise<unknown>;
  /** After a release committed (wakes the federation sender). */
  afterRelease?: () => void;
};

export type ReportSummary = {
  id: string;
  period: string;
  treeSize: number;
  rootHash: string;
  builtBy: string;
  builtAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
};

type Row = typeof indicatorReports.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function summaryOf(r: Row): ReportSummary {
  return {
    id: r.id,
    period: r.period,
    treeSize: r.treeSize,
    rootHash: r.rootHash,
    builtBy: r.builtBy,
    builtAt: r.builtAt.toISOString(),
    releasedBy: r.releasedBy,
    releasedAt: r.releasedAt?.toISOString() ?? null,
  };
}

/** The suppression threshold from HANOI247_REPORT_MIN_COUNT (5 by default). */
export function thresholdFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SUPPRESSION_THRESHOLD;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new ValidationError([
      { field: 'HANOI247_REPORT_MIN_COUNT', message: 'must be a whole number from 1 to 1000' },
    ]);
  }
  return n;
}

export function createReportService(options: ReportOptions) {
  const { database, clock, keyring, nodeState } = options;
  const { db } = database;
  const policy = resolveDeadlinePolicy(options.deadlinePolicy ?? {});
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;

  function period(text: string): ReportPeriod {
    const parsed = parsePeriod(String(text ?? ''), clock.now());
    if (!parsed.ok) throw new ValidationError([parsed.problem]);
    return parsed.period;
  }

  /** The figures of a period as they are now (not stored, not signed). */
  async function liveFigures(text: string, filters: FigureFilters = {}) {
    const p = period(text);
    return {
      period: p,
      threshold,
      filters,
      figures: await computeFigures(db, p, policy, threshold, filters),
    };
  }

  /** Computes, signs and stores a report; nothing is stored unless all of it succeeded. */
  async function build(
    actor: ReportActor,
    text: string,
  ): Promise<SignedReportFile & { summary: ReportSummary }> {
    const p = period(text);
    const figures = await computeFigures(db, p, policy, threshold);
    // Signed after computing: the log only grows, so this checkpoint covers every entry counted.
    const head = await options.audit.signTreeHead();
    const now = clock.now();
    const report = reportDocument({
      id: uuidv7(now.getTime()),
      node: nodeState,
      period: p,
      generatedAt: now,
      threshold,
      checkpoint: {
        treeSize: head.treeSize,
        rootHash: head.rootHash,
        signedAt: head.signedAt,
        kid: head.kid,
        jws: head.jws,
      },
      figures,
    });
    const jws = await keyring.sign(report as unknown as Record<string, unknown>);
    const row = await db.transaction(async (tx) => {
      const [stored] = await tx
        .insert(indicatorReports)
        .values({
          id: report.id,
          period: p.id,
          periodStart: p.start,
          periodEnd: p.end,
          jws,
          treeSize: head.treeSize,
          rootHash: head.rootHash,
          builtBy: actor.id,
          builtAt: now,
        })
        .returning();
      await appendAudit(
        tx,
        {
          actor: actor.id,
          action: 'report.build',
          objectType: 'indicator_report',
          objectId: report.id,
          payload: { period: p.id, treeSize: head.treeSize, rootHash: head.rootHash },
        },
        now,
      );
      return stored!;
    });
    return { report, jws, summary: summaryOf(row) };
  }

  async function findRow(id: string): Promise<Row> {
    if (!UUID.test(id)) throw new NotFoundError('Report', id);
    const [row] = await db.select().from(indicatorReports).where(eq(indicatorReports.id, id));
    if (!row) throw new NotFoundError('Report', id);
    return row;
  }

  /** Makes a report public. Four eyes: whoever built it may not release it. */
  async function release(actor: ReportActor, id: string): Promise<ReportSummary> {
    const now = clock.now();
    await findRow(id);
    const released = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(indicatorReports).where(eq(indicatorReports.id, id)).for('update');
      if (row!.releasedAt) {
        throw new ConflictError(
          `Report ${id} was already released on ${row!.releasedAt.toISOString()}.`,
          'ERR_REPORT_RELEASED',
        );
      }
      if (row!.builtBy === actor.id) {
        throw new ForbiddenError(
          'You built this report: another approver or administrator must release it (four eyes).',
          'ERR_REPORT_FOUR_EYES',
        );
      }
      const [updated] = await tx
        .update(indicatorReports)
        .set({ releasedBy: actor.id, releasedAt: now })
        .where(eq(indicatorReports.id, id))
        .returning();
      await appendAudit(
        tx,
        {
          actor: actor.id,
          action: 'report.release',
          objectType: 'indicator_report',
          objectId: id,
          payload: { period: row!.period },
        },
        now,
      );
      await options.onRelease?.(tx, row!.jws, now);
      return summaryOf(updated!);
    });
    options.afterRelease?.();
    return released;
  }

  /** Newest first; `releasedOnly` for the public list. `after` is the id of the last one of the previous page. */
  async function list(opts: { releasedOnly: boolean; limit: number; after?: string }) {
    const conditions = [];
    if (opts.releasedOnly) conditions.push(isNotNull(indicatorReports.releasedAt));
    if (opts.after) {
      if (!UUID.test(opts.after))
        throw new ValidationError([
          { field: 'after', message: 'must be the id of the last report of the previous page' },
        ]);
      conditions.push(lt(indicatorReports.id, opts.after));
    }
    const rows = await db
      .select()
      .from(indicatorReports)
      .where(conditions.length > 0 ? and(...conditions) : undefined)
      .orderBy(desc(indicatorReports.id))
      .limit(opts.limit);
    const items = rows.map(summaryOf);
    return { items, next: items.length === opts.limit ? items[items.length - 1]!.id : null };
  }

  /** A stored report as its signed file; `releasedOnly` hides those not yet released (404). */
  async function get(
    id: string,
    releasedOnly: boolean,
  ): Promise<SignedReportFile & { summary: ReportSummary }> {
    const row = await findRow(id);
    if (releasedOnly && !row.releasedAt) throw new NotFoundError('Report', id);
    const [, payload] = row.jws.split('.');
    const report = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as IndicatorReport;
    return { report, jws: row.jws, summary: summaryOf(row) };
  }

  async function countReleased(): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(indicatorReports)
      .where(isNotNull(indicatorReports.releasedAt));
    return Number(row?.n ?? 0);
  }

  async function traceFigure(
    text: string,
    selector: FigureSelector,
    showConfidential: boolean,
    filters: FigureFilters = {},
  ) {
    return drillDown(db, period(text), policy, selector, showConfidential, filters);
  }

  return { build, release, list, get, liveFigures, traceFigure, countReleased, threshold };
}

export type ReportService = ReturnType<typeof createReportService>;
