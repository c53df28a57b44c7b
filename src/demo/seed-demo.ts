import { eq } from 'drizzle-orm';
import { createUserService } from '../auth/user-service.ts';
import { findUserByUsername } from '../auth/user-store.ts';
import type { NodeContext } from '../context.ts';
import type { Role } from '../domain/codes.ts';
import { buildDemoDirectory } from '../domain/directory/index.ts';
import { seedHub } from '../hub/seed-hub.ts';
import { seedMarks } from '../store/schema/index.ts';

export const DEMO_PASSWORD = 'hanoi247-demo';

/** One demo account per role; the password is the same for all and printed at start. */
export const DEMO_USERS: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'duty', displayName: 'Duty officer (24/7)', roles: ['DUTY_OFFICER'] },
  { username: 'lawyer', displayName: 'Central-authority officer', roles: ['CENTRAL_AUTHORITY'] },
  { username: 'investigator', displayName: 'Investigator', roles: ['INVESTIGATOR'] },
  { username: 'approver', displayName: 'Approver', roles: ['APPROVER'] },
  { username: 'liaison', displayName: 'Bank liaison', roles: ['PRIVATE_LIAISON'] },
  { username: 'cert', displayName: 'CERT analyst', roles: ['CERT_ANALYST'] },
  { username: 'auditor', displayName: 'Oversight auditor', roles: ['AUDITOR'] },
  { username: 'admin', displayName: 'Administrator', roles: ['ADMIN'] },
];

const MARK = 'demo-seed-v1';

/** Seeds the demo directory and accounts once; a second start finds the mark and changes nothing. */
export async function seedDemo(ctx: NodeContext): Promise<{ seeded: boolean }> {
  const { db } = ctx.database;
  const [mark] = await db.select().from(seedMarks).where(eq(seedMarks.name, MARK));
  if (mark) return { seeded: false };
  if (!(await ctx.directory.currentOrNull())) {
    await ctx.directory.importDocument('system:demo-seed', buildDemoDirectory(), 'demo');
  }
  const users = createUserService(ctx.database, ctx.clock);
  for (const u of DEMO_USERS) {
    if (await findUserByUsername(db, u.username)) continue;
    await users.addUser('system:demo-seed', { ...u, password: DEMO_PASSWORD });
  }
  await seedHub(ctx);
  await db.insert(seedMarks).values({ name: MARK, appliedAt: ctx.clock.now() }).onConflictDoNothing();
  return { seeded: true };
}
