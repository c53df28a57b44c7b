import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Role } from '../../src/domain/codes.ts';
import { lastEndedPeriod } from '../../src/domain/indicators-report/index.ts';
import { createNodeReports } from '../../src/reports/node-reports.ts';
import { createReportSchedule, SCHEDULE_ACTOR, SCHEDULE_JOB } from '../../src/reports/report-schedule.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { claimJob } from '../../src/store/job-claims.ts';
import { auditEntries, indicatorReports } from '../../src/store/schema/index.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// Scheduled generation: once a quarter is over the node builds its report on its own, once; an
// approver releases it (the schedule built it, so four eyes hold); a quarter already reported by
// hand is left alone.
const clock = manualClock('2027-01-05T03:00:00Z');
let node: TestNode;

before(async () => {
  node = await startTestNode({ clock });
});
after(() => node.close());

test('the last ended period: the previous quarter or month, across a year', () => {
  assert.equal(lastEndedPeriod('quarterly', new Date('2027-01-05T00:00:00Z')), '2026-Q4');
  assert.equal(lastEndedPeriod('quarterly', new Date('2027-04-01T00:00:00Z')), '2027-Q1');
  assert.equal(lastEndedPeriod('quarterly', new Date('2027-12-31T23:59:59Z')), '2027-Q3');
  assert.equal(lastEndedPeriod('monthly', new Date('2027-01-31T00:00:00Z')), '2026-12');
  assert.equal(lastEndedPeriod('monthly', new Date('2027-11-01T00:00:00Z')), '2027-10');
});

test('the schedule builds the ended quarter once, an approver releases it, a hand-made one is kept', async () => {
  const reports = createNodeReports(node.ctx);
  const schedule = createReportSchedule({
    database: node.ctx.database,
    clock,
    reports,
    schedule: 'quarterly',
  });
  const id = await schedule.runDue();
  assert.ok(id, 'built');
  assert.equal(await schedule.runDue(), null, 'not twice');
  const [row] = await node.ctx.database.db.select().from(indicatorReports).where(eq(indicatorReports.id, id));
  assert.equal(row!.period, '2026-Q4');
  assert.equal(row!.builtBy, SCHEDULE_ACTOR);
  assert.equal(row!.releasedAt, null, 'not public until released');
  const audited = await node.ctx.database.db.select().from(auditEntries).where(eq(auditEntries.objectId, id));
  assert.deepEqual(
    audited.map((a) => [a.action, a.actor]),
    [['report.build', SCHEDULE_ACTOR]],
  );
  const approver = (await node.ctx.users.list(100, null)).find((u) => u.username === 'approver')!;
  const api = client(node.url);
  api.setToken(
    (
      await node.ctx.auth.createToken(approver.id, {
        name: 's',
        scopes: approver.roles as Role[],
        ttlDays: 365,
      })
    ).token,
  );
  const released = await api.post(`/api/v1/reports/${id}/release`, {});
  assert.equal(released.status, 200, released.text);
  // Q1 2027 reported by hand before the schedule came to it: left alone.
  clock.set('2027-03-31T12:00:00Z');
  const byHand = await api.post('/api/v1/reports', { period: '2027-Q1' });
  assert.equal(byHand.status, 201, byHand.text);
  clock.set('2027-04-01T01:00:00Z');
  assert.equal(await schedule.runDue(), null);
  const q1 = await node.ctx.database.db
    .select()
    .from(indicatorReports)
    .where(eq(indicatorReports.period, '2027-Q1'));
  assert.equal(q1.length, 1);
  await schedule.stop();
});

test('two replicas checking at the same moment build the ended quarter once', async () => {
  // Each replica of a node runs its own schedule over the shared database: both find no report of the
  // quarter, and only the one that claims the period first builds it.
  clock.set('2027-07-02T04:00:00Z');
  const replica = () =>
    createReportSchedule({
      database: node.ctx.database,
      clock,
      reports: createNodeReports(node.ctx),
      schedule: 'quarterly',
    });
  const [a, b] = [replica(), replica()];
  const built = await Promise.all([a.runDue(), b.runDue()]);
  assert.equal(built.filter((id) => id !== null).length, 1, JSON.stringify(built));
  const q2 = await node.ctx.database.db
    .select()
    .from(indicatorReports)
    .where(eq(indicatorReports.period, '2027-Q2'));
  assert.equal(q2.length, 1, 'one report of the quarter, not one per replica');
  assert.equal(await a.runDue(), null);
  assert.equal(await b.runDue(), null);
  await Promise.all([a.stop(), b.stop()]);
});

test('a claim left by a replica that never built its period is taken over after half an hour', async () => {
  const schedule = createReportSchedule({
    database: node.ctx.database,
    clock,
    reports: createNodeReports(node.ctx),
    schedule: 'quarterly',
  });
  // Another replica claimed Q3 at 00:10 and stopped before storing its report.
  assert.ok(await claimJob(node.ctx.database.db, SCHEDULE_JOB, '2027-Q3', new Date('2027-10-01T00:10:00Z')));
  clock.set('2027-10-01T00:20:00Z');
  assert.equal(await schedule.runDue(), null, 'still its claim: it may be building');
  clock.set('2027-10-01T00:41:00Z');
  const id = await schedule.runDue();
  assert.ok(id, 'built once the claim is stale');
  const [row] = await node.ctx.database.db.select().from(indicatorReports).where(eq(indicatorReports.id, id));
  assert.equal(row!.period, '2027-Q3');
  await schedule.stop();
});
