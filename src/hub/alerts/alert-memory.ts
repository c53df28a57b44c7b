// What the node holds of its alerts in memory: every alert's metadata, and the indicators of the
// live ones in the lookup index that checks read. Built from the database at start; the use cases
// change it only after their transaction committed, so nobody sees a change that did not happen.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { asc, gt } from 'drizzle-orm';
import type { Clock } from '../../shared/clock.ts';
import type { Db } from '../../store/database.ts';
import { hubAlerts, hubIndicators } from '../../store/schema/index.ts';
import { createDerivedIdCache } from '../derived-id-cache.ts';
import type { AlertMeta } from '../hub-types.ts';
import type { IndicatorRows } from '../indicator-rows.ts';
import type { GroupSource, IndexEntry, IndexRef, LookupIndex } from '../lookup-index.ts';
import type { Membership } from '../membership.ts';
import { createRowOwners } from '../row-owners.ts';
import { indexable, toMeta } from './alert-meta.ts';
import type { IndexedRow, IndicatorRow } from './alert-types.ts';

/** What the index builds a group's privacy-mode table from, on the group's first privacy-mode check. */
function createGroupSources(
  membership: Membership,
  indicatorRows: IndicatorRows,
  startPage: number,
): (groupId: string) => GroupSource {
  // One KeyObject per group: handing createHmac raw key bytes imports the key on every call, which
  // was the largest cost of building a group's privacy-mode table.
  const groupKeys = new Map<string, KeyObject>();
  const keyedDigestOf = (groupId: string, value: string): Uint8Array => {
    let key = groupKeys.get(groupId);
    if (!key) {
      key = createSecretKey(membership.groupKey(groupId));
      groupKeys.set(groupId, key);
    }
    return createHmac('sha256', key).update(value).digest();
  };
  return (groupId) => ({
    digest: (value) => keyedDigestOf(groupId, value),
    // Small pages: the HMACs of one page run without a break, and exact checks wait behind them.
    pages: () => indicatorRows.groupPages(groupId, Math.min(startPage, 10_000)),
  });
}

export function createAlertMemory(deps: {
  index: LookupIndex;
  membership: Membership;
  indicatorRows: IndicatorRows;
  startPage: number;
}) {
  const { index, membership, indicatorRows, startPage } = deps;
  const metas = new Map<string, AlertMeta>();
  // Which alerts have their indicators in the index. Only alert ids are held here, never one JS
  // object per indicator: removal reads the alert's values back from the database (the source of
  // truth), so the process holds about the packed index's bytes per indicator and no more.
  const indexed = new Set<string>();
  // Which alert owns each indexed row, and which alerts have only derived indicator ids
  // (indicator-ids.ts): for those a check answers a hit from memory, with no database query.
  const owners = createRowOwners();
  const derivedIds = new Set<string>();
  // The ids of rows that hit lately: a bulk check derives each at most once (derived-id-cache.ts).
  const idCache = createDerivedIdCache();

  const groupSource = createGroupSources(membership, indicatorRows, startPage);

  const entryFor = (meta: AlertMeta, ind: IndexedRow): IndexEntry => ({
    rowNo: ind.rowNo,
    type: ind.type,
    value: ind.value,
    groupId: meta.groupId,
  });

  function indexOne(meta: AlertMeta, ind: IndexedRow) {
    index.add(entryFor(meta, ind));
    owners.set(ind.rowNo, meta.id);
  }

  function indexAdd(meta: AlertMeta, indicators: readonly IndicatorRow[]) {
    for (const ind of indicators) indexOne(meta, ind);
    indexed.add(meta.id);
  }

  function indexDrop(meta: AlertMeta, indicators: readonly IndicatorRow[]) {
    for (const ind of indicators) index.removeIndicator(entryFor(meta, ind));
  }

  /** After a commit: only the difference moves in the index, unless the alert enters or leaves it as a whole. */
  function moveInIndex(
    next: AlertMeta,
    existing: readonly IndicatorRow[],
    added: readonly IndicatorRow[],
    removed: readonly IndicatorRow[],
    now: Date,
  ) {
    const id = next.id;
    metas.set(id, next);
    const wasIndexed = indexed.has(id);
    const nowIndexable = indexable(next, now);
    if (wasIndexed && nowIndexable) {
      indexDrop(next, removed);
      indexAdd(next, added);
    } else if (wasIndexed) {
      indexDrop(next, existing);
      indexed.delete(id);
    } else if (nowIndexable) {
      const gone = new Set(removed.map((r) => r.id));
      indexAdd(next, [...existing.filter((e) => !gone.has(e.id)), ...added]);
    }
  }

  /**
   * The ids behind an indexed row that matched (type, value), from memory, when its alert's indicator
   * ids are all derived; null when only the database knows them (indicators from before derived ids).
   */
  function refFromMemory(rowNo: number, type: string, value: string): IndexRef | null {
    const alertId = derivedOwner(rowNo);
    return alertId === null ? null : { alertId, indicatorId: idCache.idOf(rowNo, alertId, type, value) };
  }

  /**
   * The alert of an indexed row when its indicator ids are all derived, so that the caller may derive
   * the row's id itself (a bulk check derives all its hits' ids at once); null when only the database
   * knows the id.
   */
  function derivedOwner(rowNo: number): string | null {
    const alertId = owners.alertOf(rowNo);
    return alertId !== null && derivedIds.has(alertId) ? alertId : null;
  }

  // Start: the index is built from the database, read in pages along the row numbers so that a
  // table of millions of rows never sits in memory at once, and each alert's rows arrive as runs.
  // Revoked and expired alerts are not indexed: they never match again (an update that reopens the
  // validity window re-indexes them).
  async function load(db: Db, clock: Clock) {
    for (const row of await db.select().from(hubAlerts)) {
      metas.set(row.id, toMeta(row));
      if (row.indicatorIdsDerived) derivedIds.add(row.id);
    }
    const startedAt = clock.now();
    const live = new Set([...metas.values()].filter((m) => indexable(m, startedAt)).map((m) => m.id));
    for (const id of live) indexed.add(id);
    let after = 0;
    for (;;) {
      const page = await db
        .select({
          rowNo: hubIndicators.rowNo,
          alertId: hubIndicators.alertId,
          type: hubIndicators.type,
          value: hubIndicators.value,
        })
        .from(hubIndicators)
        .where(gt(hubIndicators.rowNo, after))
        .orderBy(asc(hubIndicators.rowNo))
        .limit(startPage);
      for (const r of page) {
        const rowNo = Number(r.rowNo);
        if (live.has(r.alertId)) indexOne(metas.get(r.alertId)!, { rowNo, type: r.type, value: r.value });
      }
      if (page.length < startPage) break;
      after = Number(page[page.length - 1]!.rowNo);
    }
  }

  return {
    metas,
    indexed,
    derivedIds,
    owners,
    groupSource,
    indexAdd,
    indexDrop,
    moveInIndex,
    refFromMemory,
    derivedOwner,
    indicatorIdsOf: idCache.idsOf,
    load,
    indexedCount: () => index.size,
  };
}

export type AlertMemory = ReturnType<typeof createAlertMemory>;
