// The report service of a running node, as its API and the demo use it: the node's deadline policy
// and suppression threshold, and each release queued for the region's hub when the node is a member
// of a region (src/reports/regional-reports.ts).
import type { AuditService } from '../audit/audit-service.ts';
import type { Config } from '../config.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { shareWithRegion } from './regional-reports.ts';
import { createReportService, thresholdFrom } from './report-service.ts';

export type NodeReportDeps = {
  config: Pick<Config, 'nodeState' | 'requestPolicy' | 'reportRegion'>;
  database: Database;
  clock: Clock;
  keyring: Keyring;
  audit: Pick<AuditService, 'signTreeHead'>;
  federation: { options: { lifetimeMs: number }; sender: { nudge(): void } };
};

export function createNodeReports(ctx: NodeReportDeps) {
  const region = ctx.config.reportRegion ?? null;
  return createReportService({
    database: ctx.database,
    clock: ctx.clock,
    keyring: ctx.keyring,
    audit: ctx.audit,
    nodeState: ctx.config.nodeState,
    deadlinePolicy: ctx.config.requestPolicy?.deadlines,
    threshold: thresholdFrom(process.env.HANOI247_REPORT_MIN_COUNT),
    onRelease: (tx, jws, now) =>
      shareWithRegion(
        tx,
        { region, nodeState: ctx.config.nodeState, lifetimeMs: ctx.federation.options.lifetimeMs },
        jws,
        now,
      ),
    afterRelease: () => ctx.federation.sender.nudge(),
  });
}
