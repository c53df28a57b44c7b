// Reads of hub_indicators by row number, for the in-memory index that keeps only row numbers: the ids
// behind the rows that matched a check, and the rows of one sharing group when its privacy-mode
// table is built. Both go along the unique index on row_no.
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../store/database.ts';
import { hubAlerts, hubIndicators } from '../store/schema/index.ts';
import type { IndexRef } from './lookup-index.ts';

/** Row numbers per query: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 5_000;
/** Rows per page while a group's privacy-mode table is built. */
const GROUP_PAGE = 50_000;

type NewIndicator = typeof hubIndicators.$inferInsert & { id: string };

/** Inserts indicator rows in chunks and gives each its row number (assigned by the database). */
export async function insertIndicatorRows<T extends NewIndicator>(
  tx: Db,
  rows: readonly T[],
): Promise<(T & { rowNo: number })[]> {
  const numbers = new Map<string, number>();
  for (let at = 0; at < rows.length; at += 2000) {
    const made = await tx
      .insert(hubIndicators)
      .values(rows.slice(at, at + 2000))
      .returning({ id: hubIndicators.id, rowNo: hubIndicators.rowNo });
    for (const m of made) numbers.set(m.id, Number(m.rowNo));
  }
  return rows.map((r) => ({ ...r, rowNo: numbers.get(r.id)! }));
}

export function createIndicatorRows(db: Db) {
  /**
   * The ids of these rows. A row deleted since it matched is simply absent: the change that deleted
   * it takes it out of the index as well.
   */
  async function refsOf(rowNos: readonly number[]): Promise<Map<number, IndexRef>> {
    const out = new Map<number, IndexRef>();
    const unique = [...new Set(rowNos)];
    for (let at = 0; at < unique.length; at += CHUNK) {
      const rows = await db
        .select({ rowNo: hubIndicators.rowNo, indicatorId: hubIndicators.id, alertId: hubIndicators.alertId })
        .from(hubIndicators)
        .where(inArray(hubIndicators.rowNo, unique.slice(at, at + CHUNK)));
      for (const r of rows) out.set(Number(r.rowNo), { alertId: r.alertId, indicatorId: r.indicatorId });
    }
    return out;
  }

  /** Every indicator row of the group's alerts, in pages along row_no. */
  async function* groupPages(
    groupId: string,
    pageSize = GROUP_PAGE,
  ): AsyncGenerator<{ rowNo: number; type: string; value: string }[]> {
    let after = 0;
    for (;;) {
      const page = await db
        .select({ rowNo: hubIndicators.rowNo, type: hubIndicators.type, value: hubIndicators.value })
        .from(hubIndicators)
        .innerJoin(hubAlerts, eq(hubAlerts.id, hubIndicators.alertId))
        .where(and(eq(hubAlerts.groupId, groupId), gt(hubIndicators.rowNo, after)))
        .orderBy(asc(hubIndicators.rowNo))
        .limit(pageSize);
      const rows = page.map((r) => ({ rowNo: Number(r.rowNo), type: r.type, value: r.value }));
      if (rows.length) yield rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.rowNo;
    }
  }

  return { refsOf, groupPages };
}

export type IndicatorRows = ReturnType<typeof createIndicatorRows>;
