// Regional aggregates over federation (issue #17). A member node, in the transaction that releases a
// report, queues the signed report for its region's hub (an 'indicator_report' message: the report
// holds only published aggregates). The hub checks it — the sender is a member, the report is its
// own, and it verifies against that node's signing keys in the directory, checkpoint included — and
// keeps it; the regional aggregate is computed from the latest report of each member when read, and
// signed by the hub. No request, and no member's unpublished figure, ever leaves its node.
import { and, asc, desc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import { aggregateFigures, parsePeriod, type Region } from '../domain/indicators-report/index.ts';
import { PeerProtocolError } from '../federation/federation-errors.ts';
import { enqueueMessage } from '../federation/outbox-store.ts';
import { findPeer } from '../federation/peers.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Database, Db } from '../store/database.ts';
import { regionalMemberReports } from '../store/schema/index.ts';
import { AGGREGATE_FORMAT, type RegionalAggregate } from './regional-aggregate-document.ts';
import type { IndicatorReport } from './report-document.ts';
import { ReportVerificationError, verifyReportFile } from './verify-report.ts';

export const REPORT_MESSAGE = 'indicator_report';
export { AGGREGATE_FORMAT, type RegionalAggregate } from './regional-aggregate-document.ts';

export type ReportMessage = { region: string; jws: string };

type Deps = { database: Database; clock: Clock; keyring: Keyring; nodeState: string; region: Region | null };

const payloadOf = (jws: string) =>
  JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as IndicatorReport;

/** A report's row as the hub keeps it. */
function memberRow(region: string, node: string, report: IndicatorReport, jws: string, now: Date) {
  return {
    id: report.id,
    region,
    node,
    period: report.period.id,
    periodStart: new Date(report.period.start),
    generatedAt: new Date(report.generatedAt),
    jws,
    receivedAt: now,
  };
}

/**
 * In the release transaction: a member's signed report on its way to the region's hub; the hub's own
 * report straight into what it aggregates (it is a member too).
 */
export async function shareWithRegion(
  tx: Db,
  deps: { region: Region | null; nodeState: string; lifetimeMs: number },
  jws: string,
  now: Date,
): Promise<'sent' | 'kept' | 'none'> {
  const { region, nodeState } = deps;
  if (region === null || !region.members.includes(nodeState)) return 'none';
  if (region.hub === nodeState) {
    await tx
      .insert(regionalMemberReports)
      .values(memberRow(region.name, nodeState, payloadOf(jws), jws, now))
      .onConflictDoNothing();
    return 'kept';
  }
  const body: ReportMessage = { region: region.name, jws };
  await enqueueMessage(
    tx,
    { recipient: region.hub, type: REPORT_MESSAGE, requestId: null, body },
    now,
    deps.lifetimeMs,
  );
  return 'sent';
}

export function createRegionalReports(deps: Deps) {
  const { db } = deps.database;
  const { region, nodeState } = deps;
  const isHub = region !== null && region.hub === nodeState;

  /** A member's report received over federation, in the inbox transaction. */
  async function receive(tx: Db, from: string, body: unknown, document: DirectoryDocument): Promise<void> {
    if (!isHub)
      throw new PeerProtocolError('This node is not the hub of a region: it keeps no member reports.');
    const message = body as Partial<ReportMessage> | null;
    if (!message || message.region !== region.name || typeof message.jws !== 'string')
      throw new PeerProtocolError(`An indicator_report message carries { region: '${region.name}', jws }.`);
    if (!region.members.includes(from))
      throw new PeerProtocolError(
        `${from} is not a member of ${region.name}: its reports are not aggregated here.`,
      );
    const now = deps.clock.now();
    const peer = findPeer(document, from, now);
    if (!peer)
      throw new PeerProtocolError(`The directory lists no node for ${from}: its report cannot be checked.`);
    let report: IndicatorReport;
    try {
      report = await verifyReportFile(message.jws, peer.signingKeys);
    } catch (error) {
      if (!(error instanceof ReportVerificationError)) throw error;
      throw new PeerProtocolError(`The report of ${from} does not verify: ${error.message}`, {
        reason: error.code,
      });
    }
    if (report.node !== from)
      throw new PeerProtocolError(
        `${from} sent a report of ${report.node}: a node sends its own reports only.`,
      );
    const inserted = await tx
      .insert(regionalMemberReports)
      .values(memberRow(region.name, from, report, message.jws, now))
      .onConflictDoNothing()
      .returning({ id: regionalMemberReports.id });
    if (inserted.length === 0) return;
    await appendAudit(
      tx,
      {
        actor: `node:${from}`,
        action: 'report.regional.receive',
        objectType: 'indicator_report',
        objectId: report.id,
        payload: {
          region: region.name,
          node: from,
          period: report.period.id,
          treeSize: report.checkpoint.treeSize,
          rootHash: report.checkpoint.rootHash,
        },
      },
      now,
    );
  }

  /** The periods with member reports, newest first, and which members each has. */
  async function periods(): Promise<{ period: string; members: string[] }[]> {
    if (!isHub) return [];
    const rows = await db
      .selectDistinct({
        period: regionalMemberReports.period,
        start: regionalMemberReports.periodStart,
        node: regionalMemberReports.node,
      })
      .from(regionalMemberReports)
      .where(eq(regionalMemberReports.region, region.name))
      .orderBy(desc(regionalMemberReports.periodStart), asc(regionalMemberReports.node));
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.period, [...(out.get(r.period) ?? []), r.node]);
    return [...out].map(([period, members]) => ({ period, members }));
  }

  /** The signed aggregate of a period: the latest report of each member, added up. */
  async function aggregate(text: string): Promise<{ aggregate: RegionalAggregate; jws: string }> {
    const parsed = parsePeriod(String(text ?? ''), deps.clock.now());
    if (!parsed.ok) throw new ValidationError([parsed.problem]);
    if (!isHub) throw new NotFoundError('Regional aggregate', parsed.period.id);
    const rows = await db
      .select()
      .from(regionalMemberReports)
      .where(
        and(
          eq(regionalMemberReports.region, region.name),
          eq(regionalMemberReports.period, parsed.period.id),
        ),
      )
      .orderBy(asc(regionalMemberReports.node), desc(regionalMemberReports.generatedAt));
    const latest = new Map<string, IndicatorReport>();
    for (const row of rows) if (!latest.has(row.node)) latest.set(row.node, payloadOf(row.jws));
    if (latest.size === 0) throw new NotFoundError('Regional aggregate', parsed.period.id);
    const reports = [...latest.values()];
    const aggregate: RegionalAggregate = {
      format: AGGREGATE_FORMAT,
      region: region.name,
      hub: nodeState,
      period: parsed.period.id,
      generatedAt: reports
        .map((r) => r.generatedAt)
        .sort()
        .at(-1)!,
      members: reports.map((r) => ({
        node: r.node,
        reportId: r.id,
        generatedAt: r.generatedAt,
        treeSize: r.checkpoint.treeSize,
        rootHash: r.checkpoint.rootHash,
      })),
      figures: aggregateFigures(reports),
    };
    return { aggregate, jws: await deps.keyring.sign(aggregate as unknown as Record<string, unknown>) };
  }

  return { region, isHub, receive, periods, aggregate };
}

export type RegionalReports = ReturnType<typeof createRegionalReports>;
