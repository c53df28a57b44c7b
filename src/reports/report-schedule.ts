// Scheduled generation: once a quarter (or month) is over, the node builds its report on its own,
// signed like any other and not public until an approver or administrator releases it (the
// scheduler is the builder, so any one of them may: four eyes still hold). Checked hourly; a period
// that already has a report, built by hand or by the schedule, is left alone. Every replica of a node
// runs this timer: the period is claimed in job_claims first, so only one of them builds it.
import { eq } from 'drizzle-orm';
import { lastEndedPeriod, type ReportSchedule } from '../domain/indicators-report/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { claimJob, pruneJobClaims } from '../store/job-claims.ts';
import { indicatorReports } from '../store/schema/index.ts';
import type { ReportService } from './report-service.ts';

export const SCHEDULE_ACTOR = 'system:report-schedule';
export const SCHEDULE_JOB = 'report-schedule';

/**
 * A claim older than this whose period still has no report is from a replica whose build failed or
 * that stopped mid-build: forgotten, so that the next hourly check builds the period after all.
 */
const STALE_CLAIM_MS = 30 * 60_000;

export function createReportSchedule(deps: {
  database: Database;
  clock: Clock;
  reports: ReportService;
  schedule: ReportSchedule;
  everyMs?: number;
}) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();

  /** Builds the report of the last ended period unless one exists; answers its id, or null. */
  async function runDue(): Promise<string | null> {
    const period = lastEndedPeriod(deps.schedule, deps.clock.now());
    const [held] = await deps.database.db
      .select({ id: indicatorReports.id })
      .from(indicatorReports)
      .where(eq(indicatorReports.period, period))
      .limit(1);
    if (held) return null;
    const now = deps.clock.now();
    await pruneJobClaims(deps.database.db, SCHEDULE_JOB, new Date(now.getTime() - STALE_CLAIM_MS));
    if (!(await claimJob(deps.database.db, SCHEDULE_JOB, period, now))) return null;
    const built = await deps.reports.build({ id: SCHEDULE_ACTOR }, period);
    return built.summary.id;
  }

  return {
    runDue: () => {
      const next = running.catch(() => {}).then(runDue);
      running = next;
      return next;
    },
    start(onError: (error: unknown) => void): void {
      const tick = () => {
        const next = running.catch(() => {}).then(runDue);
        running = next;
        next.catch(onError);
      };
      tick();
      timer ??= setInterval(tick, deps.everyMs ?? 3_600_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running.catch(() => {});
    },
  };
}
