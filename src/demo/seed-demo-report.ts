// The demo's quarterly implementation report: once the example requests are in, the Viet Nam node
// builds the current quarter's report (an approver) and releases it (its administrator: four eyes).
// Released, it is on VN's public transparency page and, VN being a member of ASEAN in the demo, it
// travels to the hub (SG) for the regional aggregate. Once per network, like the rest of the seed.
import { eq } from 'drizzle-orm';
import type { NodeContext } from '../context.ts';
import { createNodeReports } from '../reports/node-reports.ts';
import { currentQuarter } from '../reports/report-metrics.ts';
import { seedMarks } from '../store/schema/index.ts';

const MARK = 'demo-report-v1';

export async function seedDemoReport(ctx: NodeContext): Promise<{ seeded: boolean; id?: string }> {
  const { db } = ctx.database;
  const [mark] = await db.select().from(seedMarks).where(eq(seedMarks.name, MARK));
  if (mark) return { seeded: false };
  const state = ctx.config.nodeState;
  const reports = createNodeReports(ctx);
  const built = await reports.build(
    { id: `system:demo-seed:${state}:approver` },
    currentQuarter(ctx.clock.now()),
  );
  await reports.release({ id: `system:demo-seed:${state}:admin` }, built.summary.id);
  await db.insert(seedMarks).values({ name: MARK, appliedAt: ctx.clock.now() }).onConflictDoNothing();
  return { seeded: true, id: built.summary.id };
}
