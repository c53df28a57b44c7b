// Cases group the requests of one investigation (the MLA request that follows a preservation, the
// extradition after them): the list of cases with how many of their requests are still open.
import { and, desc, eq, like, lt, sql } from 'drizzle-orm';
import { SETTLED_STATES } from '../domain/requests/index.ts';
import type { Db } from '../store/database.ts';
import { cases } from '../store/schema/index.ts';

export type CaseSummary = {
  id: string;
  reference: string;
  createdAt: string;
  requestCount: number;
  openCount: number;
};

const settled = sql.join(
  SETTLED_STATES.map((s) => sql`${s}`),
  sql`, `,
);

/** A page of cases, newest first; `prefix` narrows to references that start with it. */
export async function listCases(
  db: Db,
  f: { after?: string; prefix?: string; reference?: string; limit: number },
): Promise<CaseSummary[]> {
  const escaped = f.prefix?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .select({
      id: cases.id,
      reference: cases.reference,
      createdAt: cases.createdAt,
      // Written out: drizzle renders a column of the outer table without its table name inside sql``.
      requestCount: sql<string | number>`(SELECT count(*) FROM requests r WHERE r.case_id = "cases"."id")`,
      openCount: sql<
        string | number
      >`(SELECT count(*) FROM requests r WHERE r.case_id = "cases"."id" AND r.status NOT IN (${settled}))`,
    })
    .from(cases)
    .where(
      and(
        f.after ? lt(cases.id, f.after) : undefined,
        escaped !== undefined ? like(cases.reference, `${escaped}%`) : undefined,
        f.reference !== undefined ? eq(cases.reference, f.reference) : undefined,
        // An exercise's cases hold only its requests (issue #18): never in the real list.
        f.reference === undefined
          ? sql`NOT EXISTS (SELECT 1 FROM requests r WHERE r.case_id = "cases"."id" AND r.exercise_id IS NOT NULL)`
          : undefined,
      ),
    )
    .orderBy(desc(cases.id))
    .limit(f.limit);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    createdAt: r.createdAt.toISOString(),
    requestCount: Number(r.requestCount),
    openCount: Number(r.openCount),
  }));
}
