import { eq } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.ts';
import { createUserService } from '../auth/user-service.ts';
import { findUserByUsername } from '../auth/user-store.ts';
import type { NodeContext } from '../context.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../domain/demo-accounts.ts';
import { buildDemoDirectory } from '../domain/directory/index.ts';
import { seedHub } from '../hub/seed-hub.ts';
import { seedMarks } from '../store/schema/index.ts';

export { DEMO_PASSWORD, DEMO_USERS };

const MARK = 'demo-seed-v1';

// Every demo account of every demo node has the same published password: hashed once per process
// (Argon2 at 19 MiB, two passes) rather than once per account and node, 27 times at a demo's start.
let demoHash: Promise<string> | null = null;
const demoPasswordHash = () => {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  return demoHash;
};

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
    await users.addUser(
      'system:demo-seed',
      { ...u, password: DEMO_PASSWORD },
      { passwordHash: demoPasswordHash() },
    );
  }
  await seedHub(ctx);
  await db.insert(seedMarks).values({ name: MARK, appliedAt: ctx.clock.now() }).onConflictDoNothing();
  return { seeded: true };
}
