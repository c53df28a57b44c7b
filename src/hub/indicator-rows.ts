// Reads of hub_indicators by row number, for the in-memory index that keeps only row numbers: the ids
// behind the rows that matched a check, and the rows of one sharing group when its privacy-mode
// table is built. Both go along the unique index on row_no.
import { and, asc, eq, gt, lte, max, sql } from 'drizzle-orm';
import type { Db } from '../store/database.ts';
import { hubAlerts, hubIndicators } from '../store/schema/index.ts';
import type { IndexRef } from './lookup-index.ts';

/** Row numbers per query, sent as one array parameter. */
const CHUNK = 50_000;
/** Row numbers per page while a group's privacy-mode table is built. */
const GROUP_PAGE = 10_000;

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

const INDEXED_COLUMNS = {
  id: hubIndicators.id,
  rowNo: hubIndicators.rowNo,
  type: hubIndicators.type,
  value: hubIndicators.value,
};

/** The indicator rows of one alert, as the index and the change events need them. */
export function indicatorRowsOf(q: Db, alertId: string) {
  return q.select(INDEXED_COLUMNS).from(hubIndicators).where(eq(hubIndicators.alertId, alertId));
}

/** The same, for rows given by number (those another replica added; src/replicas). */
export function indicatorRowsNumbered(q: Db, rowNos: readonly number[]) {
  return q
    .select(INDEXED_COLUMNS)
    .from(hubIndicators)
    .where(sql`${hubIndicators.rowNo} = ANY(${`{${rowNos.join(',')}}`}::bigint[])`);
}

export function createIndicatorRows(db: Db) {
  // Prepared once: a single check with a hit pays one round trip and no planning. The row numbers
  // go as one array, which PostgreSQL plans like a short list whatever its length.
  const byRowNo = db
    .select({ rowNo: hubIndicators.rowNo, indicatorId: hubIndicators.id, alertId: hubIndicators.alertId })
    .from(hubIndicators)
    .where(sql`${hubIndicators.rowNo} = ANY(${sql.placeholder('rows')}::bigint[])`)
    .prepare('hub_indicator_refs');

  /**
   * The ids of these rows. A row deleted since it matched is simply absent: the change that deleted
   * it takes it out of the index as well.
   */
  async function refsOf(rowNos: readonly number[]): Promise<Map<number, IndexRef>> {
    const out = new Map<number, IndexRef>();
    const unique = [...new Set(rowNos)];
    for (let at = 0; at < unique.length; at += CHUNK) {
      const rows = await byRowNo.execute({ rows: unique.slice(at, at + CHUNK) });
      for (const r of rows) out.set(Number(r.rowNo), { alertId: r.alertId, indicatorId: r.indicatorId });
    }
    return out;
  }

  /**
   * Every indicator row of the group's alerts, in pages of row numbers (ranges of the unique index,
   * so each page costs the same however far along it is). Rows committed after the highest number is
   * read reach the index through its own add, which the caller has set up before the first page.
   */
  async function* groupPages(
    groupId: string,
    pageSize = GROUP_PAGE,
  ): AsyncGenerator<{ rowNo: number; type: string; value: string; digest?: Uint8Array }[]> {
    const [top] = await db.select({ n: max(hubIndicators.rowNo) }).from(hubIndicators);
    const last = Number(top?.n ?? 0);
    for (let after = 0; after < last; after += pageSize) {
      const page = await db
        .select({
          rowNo: hubIndicators.rowNo,
          type: hubIndicators.type,
          value: hubIndicators.value,
          digest: hubIndicators.keyedDigest,
        })
        .from(hubIndicators)
        .innerJoin(hubAlerts, eq(hubAlerts.id, hubIndicators.alertId))
        .where(
          and(
            eq(hubAlerts.groupId, groupId),
            gt(hubIndicators.rowNo, after),
            lte(hubIndicators.rowNo, after + pageSize),
          ),
        )
        .orderBy(asc(hubIndicators.rowNo));
      // The digest kept with the row spares the build an HMAC per row.
      if (page.length)
        yield page.map((r) => ({
          rowNo: Number(r.rowNo),
          type: r.type,
          value: r.value,
          ...(r.digest ? { digest: r.digest } : {}),
        }));
    }
  }

  return { refsOf, groupPages };
}

export type IndicatorRows = ReturnType<typeof createIndicatorRows>;
