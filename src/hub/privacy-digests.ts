// Privacy-mode checks from the first one, at any size. Each indicator row keeps its group's
// HMAC-SHA-256 of its value (hub_indicators.keyed_digest, written with the row by publish and update),
// so a check that arrives before the group's in-memory table is built (on a group's first use, and
// after every restart) is answered by one indexed query instead of waiting for the build. Rows
// written without it (before drizzle/0026, or copied from another node) are filled here: in the
// background after start, and for one group before its check reads the digests.
import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { hubAlerts, hubIndicators } from '../store/schema/index.ts';

/** Rows filled per transaction, and digests looked up per query. */
const PAGE = 5_000;

const hexArray = (list: readonly string[]) => `{${list.join(',')}}`;

export function createPrivacyDigests(deps: {
  database: Database;
  clock: Clock;
  /** The group's HMAC of a normalised value (as members compute it). */
  digestOf: (groupId: string, value: string) => Uint8Array;
}) {
  const { db } = deps.database;

  /**
   * Fills the digests missing from the rows of one group (or of all groups), a page per
   * transaction with its audit entry (counts only). Answers how many rows were filled.
   */
  async function fill(groupId: string | null, stop: () => boolean = () => false): Promise<number> {
    let filled = 0;
    while (!stop()) {
      const missing = await db
        .select({ rowNo: hubIndicators.rowNo, value: hubIndicators.value, groupId: hubAlerts.groupId })
        .from(hubIndicators)
        .innerJoin(hubAlerts, eq(hubAlerts.id, hubIndicators.alertId))
        .where(and(isNull(hubIndicators.keyedDigest), groupId ? eq(hubAlerts.groupId, groupId) : undefined))
        .limit(PAGE);
      if (missing.length === 0) return filled;
      const rowNos = missing.map((r) => Number(r.rowNo));
      const digests = missing.map((r) => Buffer.from(deps.digestOf(r.groupId, r.value)).toString('hex'));
      const now = deps.clock.now();
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          UPDATE hub_indicators SET keyed_digest = decode(d.hex, 'hex')
          FROM (SELECT unnest(${hexArray(rowNos.map(String))}::bigint[]) AS row_no,
                       unnest(${hexArray(digests)}::text[]) AS hex) d
          WHERE hub_indicators.row_no = d.row_no AND hub_indicators.keyed_digest IS NULL`);
        await appendAudit(
          tx,
          {
            actor: 'system:hub',
            action: 'hub.privacy.digests',
            objectType: 'hub_group',
            objectId: groupId ?? 'all',
            payload: {
              rows: rowNos.length,
              rowsHash: createHash('sha256').update(rowNos.join(',')).digest('hex'),
            },
          },
          now,
        );
      });
      filled += missing.length;
    }
    return filled;
  }

  /**
   * The rows of the group whose digest is one of these (lowercase hex), by digest; each with its type
   * and value so that the caller keeps only rows the index holds under that type.
   */
  async function rowsOf(
    groupId: string,
    hashes: readonly string[],
  ): Promise<Map<string, { rowNo: number; type: string; value: string }[]>> {
    const out = new Map<string, { rowNo: number; type: string; value: string }[]>();
    const unique = [...new Set(hashes)];
    for (let at = 0; at < unique.length; at += PAGE) {
      const rows = await db
        .select({
          rowNo: hubIndicators.rowNo,
          type: hubIndicators.type,
          value: hubIndicators.value,
          hex: sql<string>`encode(${hubIndicators.keyedDigest}, 'hex')`,
        })
        .from(hubIndicators)
        .innerJoin(hubAlerts, eq(hubAlerts.id, hubIndicators.alertId))
        .where(
          and(
            eq(hubAlerts.groupId, groupId),
            sql`${hubIndicators.keyedDigest} = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${hexArray(unique.slice(at, at + PAGE))}::text[]) AS x))`,
          ),
        );
      for (const r of rows) {
        const list = out.get(r.hex) ?? [];
        list.push({ rowNo: Number(r.rowNo), type: r.type, value: r.value });
        out.set(r.hex, list);
      }
    }
    return out;
  }

  return { fill, rowsOf };
}

export type PrivacyDigests = ReturnType<typeof createPrivacyDigests>;
