// Alerts and their indicators: publish, update, revoke, expire, feedback, reads. Each change is one
// transaction with its audit entry; the in-memory metadata, the lookup index and the subscribers are
// told only after the commit, so nobody sees a change that did not happen.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { type IndicatorType, normalizeBatch } from '../domain/indicators/index.ts';
import type { Clock } from '../shared/clock.ts';
import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Database, Db } from '../store/database.ts';
import { hubAlerts, hubIndicators, hubReports } from '../store/schema/index.ts';
import type { HubEvents } from './hub-events.ts';
import {
  type AlertKind,
  type AlertMeta,
  type AlertView,
  alertState,
  type IndicatorView,
  type ReportKind,
  type ReportView,
  type TlpLabel,
  type Viewer,
} from './hub-types.ts';
import { deriveIndicatorId } from './indicator-ids.ts';
import { type IndicatorRows, indicatorRowsOf, insertIndicatorRows } from './indicator-rows.ts';
import type { GroupSource, IndexEntry, IndexRef, LookupIndex } from './lookup-index.ts';
import type { Membership } from './membership.ts';
import { createRowOwners } from './row-owners.ts';
import { canManage, canRead, canSeeAllFeedback } from './visibility.ts';

export const MAX_INDICATORS_PER_ALERT = 100_000;
/** Indicator rows read per query while the index is built at start. */
const START_PAGE = 50_000;

export type RawIndicator = { type: string; value: string };
export type RejectedIndicator = { index: number; type: string; value: string; error: string };

export type PublishInput = {
  kind: AlertKind;
  title: string;
  description?: string;
  confidence: number;
  tlp: TlpLabel;
  groupId: string;
  recipientOrgIds?: string[];
  validFrom?: string | Date;
  validUntil?: string | Date | null;
  indicators: RawIndicator[];
  defaultCountry?: string;
};

export type UpdateInput = {
  title?: string;
  description?: string;
  confidence?: number;
  tlp?: TlpLabel;
  recipientOrgIds?: string[];
  validUntil?: string | Date | null;
  addIndicators?: RawIndicator[];
  removeIndicatorIds?: string[];
  defaultCountry?: string;
};

export type ReportInput = {
  kind: ReportKind;
  indicatorId?: string;
  count?: number;
  note?: string;
  observedAt?: string | Date;
};

type AlertRow = typeof hubAlerts.$inferSelect;
type Normalised = { type: IndicatorType; value: string };
/** rowNo is hub_indicators.row_no, the number the in-memory index keeps for the row. */
export type IndicatorRow = { id: string; rowNo: number; type: string; value: string };
/** What indexing a row needs of it. */
type IndexedRow = Pick<IndicatorRow, 'rowNo' | 'type' | 'value'>;

/** A change made on this node, seen inside its transaction (the federation writes its outbox there). */
export type AlertChange = {
  event: 'published' | 'updated' | 'revoked';
  before: AlertMeta | null;
  after: AlertMeta;
  now: Date;
};
export type ChangeHook = (tx: Db, change: AlertChange) => Promise<void>;
export type ReportRow = typeof hubReports.$inferSelect;
/** Runs in the transaction of a sighting or false-positive report made on this node. */
export type FeedbackHook = (tx: Db, alert: AlertMeta, report: ReportRow, now: Date) => Promise<void>;

/** Revoked and expired alerts stay out of the index; pending ones are in it (checks skip them until they start). */
const indexable = (meta: AlertMeta, now: Date) =>
  alertState(meta, now) === 'active' || alertState(meta, now) === 'pending';

export function toMeta(row: AlertRow): AlertMeta {
  return {
    id: row.id,
    kind: row.kind as AlertKind,
    title: row.title,
    confidence: row.confidence,
    tlp: row.tlp as TlpLabel,
    groupId: row.groupId,
    publisherOrgId: row.publisherOrgId,
    recipientOrgIds: row.recipientOrgIds,
    status: row.status as 'active' | 'revoked',
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Optimistic locking: a change made from an older version than the stored one is refused. */
function staleCheck(updated: unknown[]): void {
  if (updated.length === 0)
    throw new ConflictError('The alert changed meanwhile; read it again and retry.', 'ERR_HUB_STALE');
}

function toDate(value: string | Date, field: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationError([{ field, message: 'is not a valid date-time' }]);
  return d;
}

export async function createAlertService(options: {
  database: Database;
  clock: Clock;
  membership: Membership;
  index: LookupIndex;
  rows: IndicatorRows;
  events: HubEvents;
  /** Rows per query while the index is built at start (tests make it small to cross pages). */
  startPage?: number;
  /** Runs in the transaction of every publish, update and revoke. */
  changeHook?: ChangeHook;
  /** Runs after each of those commits (wakes the federation sender). */
  afterChange?: () => void;
  feedbackHook?: FeedbackHook;
}) {
  const { database, clock, membership, index, events, rows: indicatorRows } = options;
  const startPage = options.startPage ?? START_PAGE;
  const changeHook: ChangeHook = options.changeHook ?? (async () => {});
  const afterChange = options.afterChange ?? (() => {});
  const { db } = database;
  const metas = new Map<string, AlertMeta>();
  // Which alerts have their indicators in the index. Only alert ids are held here, never one JS
  // object per indicator: removal reads the alert's values back from the database (the source of
  // truth), so the process holds about the packed index's bytes per indicator and no more.
  const indexed = new Set<string>();
  // Which alert owns each indexed row, and which alerts have only derived indicator ids
  // (indicator-ids.ts): for those a check answers a hit from memory, with no database query.
  const owners = createRowOwners();
  const derivedIds = new Set<string>();

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

  /** What the index builds a group's privacy-mode table from, on the group's first privacy-mode check. */
  const groupSource = (groupId: string): GroupSource => ({
    digest: (value) => keyedDigestOf(groupId, value),
    // Small pages: the HMACs of one page run without a break, and exact checks wait behind them.
    pages: () => indicatorRows.groupPages(groupId, Math.min(startPage, 10_000)),
  });

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

  const asEventItems = (rows: readonly IndicatorRow[]) =>
    rows.map((r) => ({ id: r.id, type: r.type as IndicatorType, value: r.value }));

  // Start: the index is built from the database, read in pages along the row numbers so that a
  // table of millions of rows never sits in memory at once, and each alert's rows arrive as runs.
  // Revoked and expired alerts are not indexed: they never match again (an update that reopens the
  // validity window re-indexes them).
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

  /**
   * The ids behind an indexed row that matched (type, value), from memory, when its alert's indicator
   * ids are all derived; null when only the database knows them (indicators from before derived ids).
   */
  function refFromMemory(rowNo: number, type: string, value: string): IndexRef | null {
    const alertId = owners.alertOf(rowNo);
    if (alertId === null || !derivedIds.has(alertId)) return null;
    return { alertId, indicatorId: deriveIndicatorId(alertId, type, value) };
  }

  /** Normalises a batch: good values kept (deduplicated), each bad one reported on its own. */
  function normaliseAll(items: RawIndicator[], defaultCountry: string | undefined) {
    const accepted: Normalised[] = [];
    const rejected: RejectedIndicator[] = [];
    const seen = new Set<string>();
    for (const r of normalizeBatch(items, defaultCountry ? { defaultCountry } : {})) {
      if (!r.ok) {
        rejected.push({ index: r.index, type: r.type, value: r.raw, error: r.error });
        continue;
      }
      const key = `${r.type}\u0000${r.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      accepted.push({ type: r.type, value: r.value });
    }
    return { accepted, rejected };
  }

  function requireOrg(viewer: Viewer): string {
    if (!viewer.orgId)
      throw new ForbiddenError(
        'Your account belongs to no member organisation of the hub; an administrator adds it to one.',
        'ERR_HUB_NO_ORG',
      );
    return viewer.orgId;
  }

  function checkAudience(viewer: Viewer, groupId: string, tlp: TlpLabel, recipients: string[]) {
    const group = membership.findGroup(groupId);
    if (!group) throw new ValidationError([{ field: 'groupId', message: 'no such sharing group' }]);
    if (!viewer.orgId || !group.memberOrgIds.includes(viewer.orgId))
      throw new ForbiddenError(
        'Your organisation is not a member of this sharing group.',
        'ERR_HUB_NOT_GROUP_MEMBER',
      );
    const problems: FieldProblem[] = [];
    recipients.forEach((id, i) => {
      if (!group.memberOrgIds.includes(id))
        problems.push({
          field: `recipientOrgIds/${i}`,
          message: 'is not a member organisation of the group',
        });
    });
    if (tlp !== 'RED' && tlp !== 'AMBER+STRICT' && recipients.length > 0)
      problems.push({
        field: 'recipientOrgIds',
        message: 'recipients are only named for TLP:RED and TLP:AMBER+STRICT',
      });
    if (problems.length) throw new ValidationError(problems);
  }

  async function insertIndicators(tx: Db, alertId: string, items: Normalised[], now: Date) {
    const rows = items.map((i) => ({
      id: deriveIndicatorId(alertId, i.type, i.value),
      alertId,
      type: i.type,
      value: i.value,
      valueHash: sha256Hex(i.value),
      createdAt: now,
    }));
    return insertIndicatorRows(tx, rows);
  }

  type Prepared = { meta: AlertMeta; description: string; createdBy: string; indicators: Normalised[] };

  /** Checks an alert to publish without writing anything; throws on any problem with the alert itself. */
  function prepare(
    viewer: Viewer,
    input: PublishInput,
    now: Date,
  ): Prepared & { rejected: RejectedIndicator[] } {
    const orgId = requireOrg(viewer);
    const recipients = [...new Set(input.recipientOrgIds ?? [])];
    checkAudience(viewer, input.groupId, input.tlp, recipients);
    if (input.indicators.length > MAX_INDICATORS_PER_ALERT)
      throw new ValidationError([
        { field: 'indicators', message: `at most ${MAX_INDICATORS_PER_ALERT} indicators per alert` },
      ]);
    const validFrom = input.validFrom ? toDate(input.validFrom, 'validFrom') : now;
    const validUntil = input.validUntil ? toDate(input.validUntil, 'validUntil') : null;
    if (validUntil && validUntil.getTime() <= validFrom.getTime())
      throw new ValidationError([{ field: 'validUntil', message: 'must be later than validFrom' }]);
    const { accepted, rejected } = normaliseAll(input.indicators, input.defaultCountry);
    if (accepted.length === 0) {
      throw new ValidationError(
        rejected.length
          ? rejected.map((r) => ({ field: `indicators/${r.index}`, message: r.error }))
          : [{ field: 'indicators', message: 'an alert needs at least one indicator' }],
      );
    }
    const meta: AlertMeta = {
      id: uuidv7(now.getTime()),
      kind: input.kind,
      title: input.title,
      confidence: input.confidence,
      tlp: input.tlp,
      groupId: input.groupId,
      publisherOrgId: orgId,
      recipientOrgIds: recipients,
      status: 'active',
      validFrom,
      validUntil,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return {
      meta,
      description: input.description ?? '',
      createdBy: viewer.userId,
      indicators: accepted,
      rejected,
    };
  }

  async function insertPrepared(tx: Db, p: Prepared, actor: string, source: string, now: Date) {
    await tx.insert(hubAlerts).values({
      ...p.meta,
      recipientOrgIds: [...p.meta.recipientOrgIds],
      description: p.description,
      createdBy: p.createdBy,
      revokedAt: null,
      indicatorIdsDerived: true,
    });
    const rows = await insertIndicators(tx, p.meta.id, p.indicators, now);
    await appendAudit(
      tx,
      {
        actor,
        action: 'hub.alert.publish',
        objectType: 'hub_alert',
        objectId: p.meta.id,
        payload: {
          kind: p.meta.kind,
          tlp: p.meta.tlp,
          groupId: p.meta.groupId,
          source,
          indicatorHashes: rows.map((r) => r.valueHash),
        },
      },
      now,
    );
    await changeHook(tx, { event: 'published', before: null, after: p.meta, now });
    return rows;
  }

  function afterPublish(meta: AlertMeta, rows: readonly IndicatorRow[], now: Date) {
    metas.set(meta.id, meta);
    derivedIds.add(meta.id);
    indexAdd(meta, rows);
    events.emit({
      event: 'alert.published',
      at: now,
      alert: meta,
      added: rows.map((r) => ({ id: r.id, type: r.type as IndicatorType, value: r.value })),
      removed: [],
    });
    afterChange();
  }

  async function publish(viewer: Viewer, input: PublishInput) {
    const now = clock.now();
    const prepared = prepare(viewer, input, now);
    const rows = await db.transaction((tx) => insertPrepared(tx, prepared, viewer.userId, 'api', now));
    afterPublish(prepared.meta, rows, now);
    return {
      alert: await view(viewer, prepared.meta.id),
      accepted: rows.length,
      rejected: prepared.rejected,
    };
  }

  /**
   * Publishes several alerts all or nothing (STIX import): every alert must pass and every value must
   * normalise, otherwise nothing is written and every problem is reported.
   */
  async function publishAll(
    viewer: Viewer,
    inputs: PublishInput[],
    source: string,
    // Runs in the same transaction with the new alert ids (the STIX object store keeps what was sent).
    alsoInTransaction?: (tx: Db, alertIds: string[], now: Date) => Promise<void>,
  ) {
    const now = clock.now();
    const problems: FieldProblem[] = [];
    const prepared: Prepared[] = [];
    inputs.forEach((input, i) => {
      try {
        const p = prepare(viewer, input, now);
        for (const r of p.rejected)
          problems.push({ field: `alerts/${i}/indicators/${r.index}`, message: `${r.value}: ${r.error}` });
        prepared.push(p);
      } catch (error) {
        if (error instanceof ValidationError)
          for (const e of error.errors)
            problems.push({ field: `alerts/${i}/${e.field}`, message: e.message });
        else throw error;
      }
    });
    if (problems.length) throw new ValidationError(problems);
    const written = await db.transaction(async (tx) => {
      const out = [];
      for (const p of prepared) out.push(await insertPrepared(tx, p, viewer.userId, source, now));
      await alsoInTransaction?.(
        tx,
        prepared.map((p) => p.meta.id),
        now,
      );
      return out;
    });
    for (const [i, p] of prepared.entries()) afterPublish(p.meta, written[i]!, now);
    return prepared.map((p, i) => ({ id: p.meta.id, indicators: written[i]!.length }));
  }

  function managed(viewer: Viewer, id: string): AlertMeta {
    const meta = metas.get(id);
    if (!meta || !canRead(viewer, meta)) throw new NotFoundError('Alert', id);
    if (!canManage(viewer, meta))
      throw new ForbiddenError(
        'Only the publishing organisation changes this alert.',
        'ERR_HUB_NOT_PUBLISHER',
      );
    return meta;
  }

  async function update(viewer: Viewer, id: string, input: UpdateInput, endNow = false) {
    const now = clock.now();
    const meta = managed(viewer, id);
    if (meta.status === 'revoked')
      throw new ConflictError('A revoked alert cannot change.', 'ERR_HUB_REVOKED');
    const tlp = input.tlp ?? meta.tlp;
    const recipients = [
      ...new Set(
        input.recipientOrgIds ?? (tlp === 'RED' || tlp === 'AMBER+STRICT' ? meta.recipientOrgIds : []),
      ),
    ];
    checkAudience(viewer, meta.groupId, tlp, recipients);
    const validUntil =
      input.validUntil === undefined
        ? meta.validUntil
        : input.validUntil
          ? toDate(input.validUntil, 'validUntil')
          : null;
    if (!endNow && validUntil && validUntil.getTime() <= meta.validFrom.getTime())
      throw new ValidationError([{ field: 'validUntil', message: 'must be later than validFrom' }]);
    const { accepted, rejected } = normaliseAll(input.addIndicators ?? [], input.defaultCountry);
    const removeIds = new Set(input.removeIndicatorIds ?? []);
    const next: AlertMeta = {
      ...meta,
      title: input.title ?? meta.title,
      confidence: input.confidence ?? meta.confidence,
      tlp,
      recipientOrgIds: recipients,
      validUntil,
      version: meta.version + 1,
      updatedAt: now,
    };
    const { added, removed, existing } = await db.transaction(async (tx) => {
      const existing = await indicatorRowsOf(tx, id);
      const unknown = [...removeIds].filter((r) => !existing.some((e) => e.id === r));
      if (unknown.length)
        throw new ValidationError(
          unknown.map((u) => ({
            field: 'removeIndicatorIds',
            message: `${u} is not an indicator of this alert`,
          })),
        );
      const have = new Set(
        existing.filter((e) => !removeIds.has(e.id)).map((e) => `${e.type}\u0000${e.value}`),
      );
      const fresh = accepted.filter((a) => !have.has(`${a.type}\u0000${a.value}`));
      if (existing.length - removeIds.size + fresh.length === 0)
        throw new ValidationError([
          { field: 'removeIndicatorIds', message: 'an alert keeps at least one indicator' },
        ]);
      const gone = existing.filter((e) => removeIds.has(e.id));
      if (gone.length)
        await tx
          .delete(hubIndicators)
          .where(and(eq(hubIndicators.alertId, id), inArray(hubIndicators.id, [...removeIds])));
      const rows = await insertIndicators(tx, id, fresh, now);
      await tx
        .update(hubAlerts)
        .set({
          title: next.title,
          description: input.description,
          confidence: next.confidence,
          tlp: next.tlp,
          recipientOrgIds: [...next.recipientOrgIds],
          validUntil: next.validUntil,
          version: next.version,
          updatedAt: now,
        })
        .where(and(eq(hubAlerts.id, id), eq(hubAlerts.version, meta.version)))
        .returning({ id: hubAlerts.id })
        .then(staleCheck);
      await appendAudit(
        tx,
        {
          actor: viewer.userId,
          action: 'hub.alert.update',
          objectType: 'hub_alert',
          objectId: id,
          payload: {
            version: next.version,
            tlp: next.tlp,
            added: rows.map((r) => r.valueHash),
            removed: gone.map((g) => sha256Hex(g.value)),
          },
        },
        now,
      );
      await changeHook(tx, { event: 'updated', before: meta, after: next, now });
      return { added: rows, removed: gone, existing };
    });
    moveInIndex(next, existing, added, removed, now);
    events.emit({
      event: 'alert.updated',
      at: now,
      alert: next,
      added: asEventItems(added),
      removed: asEventItems(removed),
    });
    afterChange();
    return { alert: await view(viewer, id), accepted: added.length, rejected };
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
   * After the commit of a copy received from another node (src/hub/hub-federation.ts): memory, index
   * and local subscribers follow, as for a local change. `before` holds the indicators held until now.
   */
  function adoptRemote(
    next: AlertMeta,
    change: {
      before: readonly IndicatorRow[];
      added: readonly IndicatorRow[];
      removed: readonly IndicatorRow[];
      event: 'alert.published' | 'alert.updated' | 'alert.revoked';
      /** Whether all the alert's indicator ids are now derived ones (as stored with the alert). */
      idsDerived: boolean;
    },
  ) {
    const now = clock.now();
    if (change.idsDerived) derivedIds.add(next.id);
    else derivedIds.delete(next.id);
    moveInIndex(next, change.before, change.added, change.removed, now);
    events.emit({
      event: change.event,
      at: now,
      alert: next,
      added: asEventItems(change.added),
      removed: asEventItems(change.removed),
    });
  }

  async function revoke(viewer: Viewer, id: string, reason: string) {
    const now = clock.now();
    const meta = managed(viewer, id);
    if (meta.status === 'revoked')
      throw new ConflictError('The alert is revoked already.', 'ERR_HUB_REVOKED');
    const next: AlertMeta = { ...meta, status: 'revoked', version: meta.version + 1, updatedAt: now };
    const removed = await db.transaction(async (tx) => {
      await tx
        .update(hubAlerts)
        .set({ status: 'revoked', version: next.version, updatedAt: now, revokedAt: now })
        .where(and(eq(hubAlerts.id, id), eq(hubAlerts.version, meta.version)))
        .returning({ id: hubAlerts.id })
        .then(staleCheck);
      await appendAudit(
        tx,
        {
          actor: viewer.userId,
          action: 'hub.alert.revoke',
          objectType: 'hub_alert',
          objectId: id,
          payload: { version: next.version, reason },
        },
        now,
      );
      await changeHook(tx, { event: 'revoked', before: meta, after: next, now });
      return indicatorRowsOf(tx, id);
    });
    metas.set(id, next);
    if (indexed.delete(id)) indexDrop(next, removed);
    events.emit({ event: 'alert.revoked', at: now, alert: next, added: [], removed: asEventItems(removed) });
    afterChange();
    return view(viewer, id);
  }

  /**
   * Alerts whose validity window has closed (by the clock) leave the index, and subscribers hear
   * alert.expired once. Checks already ignore them; this frees the memory and tells the subscribers.
   */
  async function sweepExpired(): Promise<number> {
    const now = clock.now();
    let count = 0;
    for (const id of [...indexed]) {
      const meta = metas.get(id);
      if (!meta || indexable(meta, now)) continue;
      const removed = await indicatorRowsOf(db, id);
      // An update or revocation meanwhile replaced the meta and moved the index itself.
      if (metas.get(id) !== meta || !indexed.delete(id)) continue;
      indexDrop(meta, removed);
      events.emit({
        event: 'alert.expired',
        at: now,
        alert: meta,
        added: [],
        removed: asEventItems(removed),
      });
      count++;
    }
    return count;
  }

  /** Ends the validity window now: the alert stops matching but stays readable as expired. */
  async function expire(viewer: Viewer, id: string) {
    return update(viewer, id, { validUntil: clock.now() }, true);
  }

  async function report(viewer: Viewer, alertId: string, input: ReportInput): Promise<ReportView> {
    const meta = metas.get(alertId);
    if (!meta || !canRead(viewer, meta)) throw new NotFoundError('Alert', alertId);
    const orgId = requireOrg(viewer);
    const now = clock.now();
    const observedAt = input.observedAt ? toDate(input.observedAt, 'observedAt') : now;
    const row = {
      id: uuidv7(now.getTime()),
      alertId,
      indicatorId: input.indicatorId ?? null,
      kind: input.kind,
      orgId,
      reportedBy: viewer.userId,
      count: input.count ?? 1,
      note: input.note ?? '',
      observedAt,
      createdAt: now,
    };
    await db.transaction(async (tx) => {
      if (row.indicatorId) {
        const [ind] = await tx
          .select({ id: hubIndicators.id })
          .from(hubIndicators)
          .where(and(eq(hubIndicators.id, row.indicatorId), eq(hubIndicators.alertId, alertId)));
        if (!ind)
          throw new ValidationError([{ field: 'indicatorId', message: 'is not an indicator of this alert' }]);
      }
      await tx.insert(hubReports).values(row);
      await appendAudit(
        tx,
        {
          actor: viewer.userId,
          action: input.kind === 'sighting' ? 'hub.alert.sighting' : 'hub.alert.false_positive',
          objectType: 'hub_alert',
          objectId: alertId,
          payload: { reportId: row.id, indicatorId: row.indicatorId, count: row.count },
        },
        now,
      );
      await options.feedbackHook?.(tx, meta, row, now);
    });
    const view = toReportView(row);
    events.emit({ event: 'alert.feedback', at: now, alert: meta, added: [], removed: [], feedback: view });
    afterChange();
    return view;
  }

  /** After the commit of feedback that another node passed on: the publisher's subscribers hear it. */
  function adoptRemoteFeedback(alertId: string, row: ReportRow) {
    const meta = metas.get(alertId);
    if (!meta) return;
    const view = toReportView(row);
    events.emit({
      event: 'alert.feedback',
      at: clock.now(),
      alert: meta,
      added: [],
      removed: [],
      feedback: view,
    });
  }

  function toReportView(r: ReportRow): ReportView {
    return {
      id: r.id,
      kind: r.kind as ReportKind,
      indicatorId: r.indicatorId,
      orgId: r.orgId,
      orgName: membership.findOrg(r.orgId)?.name ?? r.orgId,
      count: r.count,
      note: r.note,
      observedAt: r.observedAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
    };
  }

  /** The alert as this viewer may see it, or NotFound (never Forbidden: existence is not leaked). */
  async function view(viewer: Viewer, id: string): Promise<AlertView> {
    const meta = metas.get(id);
    if (!meta || !canRead(viewer, meta)) throw new NotFoundError('Alert', id);
    const [row] = await db.select().from(hubAlerts).where(eq(hubAlerts.id, id));
    if (!row) throw new NotFoundError('Alert', id);
    const indicators = await db
      .select()
      .from(hubIndicators)
      .where(eq(hubIndicators.alertId, id))
      .orderBy(asc(hubIndicators.type), asc(hubIndicators.value));
    const all = canSeeAllFeedback(viewer, meta);
    const reports = await db
      .select()
      .from(hubReports)
      .where(
        all
          ? eq(hubReports.alertId, id)
          : and(
              eq(hubReports.alertId, id),
              eq(hubReports.orgId, viewer.orgId ?? '00000000-0000-0000-0000-000000000000'),
            ),
      )
      .orderBy(asc(hubReports.createdAt));
    return toView(row, indicators, reports.map(toReportView));
  }

  function toView(
    row: AlertRow,
    indicators: (typeof hubIndicators.$inferSelect)[],
    feedback: ReportView[],
  ): AlertView {
    const meta = toMeta(row);
    return {
      id: row.id,
      kind: meta.kind,
      title: row.title,
      description: row.description,
      confidence: row.confidence,
      tlp: meta.tlp,
      groupId: row.groupId,
      publisherOrgId: row.publisherOrgId,
      publisherOrgName: membership.findOrg(row.publisherOrgId)?.name ?? row.publisherOrgId,
      recipientOrgIds: row.recipientOrgIds,
      status: meta.status,
      state: alertState(meta, clock.now()),
      validFrom: row.validFrom.toISOString(),
      validUntil: row.validUntil?.toISOString() ?? null,
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
      indicators: indicators.map((i) => ({
        id: i.id,
        type: i.type as IndicatorType,
        value: i.value,
        valueHash: i.valueHash,
      })) satisfies IndicatorView[],
      feedback,
    };
  }

  /** The alerts this viewer may read, newest first, filtered in memory so TLP is applied before paging. */
  function visibleMetas(viewer: Viewer, filter: { groupId?: string; state?: string } = {}): AlertMeta[] {
    const now = clock.now();
    return [...metas.values()]
      .filter(
        (m) =>
          canRead(viewer, m) &&
          (!filter.groupId || m.groupId === filter.groupId) &&
          (!filter.state || alertState(m, now) === filter.state),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  }

  /** Full views of many alerts in three queries (export, TAXII). The caller has applied canRead. */
  async function viewsOf(viewer: Viewer, list: AlertMeta[]): Promise<AlertView[]> {
    if (list.length === 0) return [];
    const ids = list.map((m) => m.id);
    const out: AlertView[] = [];
    for (let at = 0; at < ids.length; at += 500) {
      const chunk = ids.slice(at, at + 500);
      const rows = await db.select().from(hubAlerts).where(inArray(hubAlerts.id, chunk));
      const inds = await db.select().from(hubIndicators).where(inArray(hubIndicators.alertId, chunk));
      const reps = await db.select().from(hubReports).where(inArray(hubReports.alertId, chunk));
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const id of chunk) {
        const row = byId.get(id);
        const meta = metas.get(id);
        if (!row || !meta) continue;
        const all = canSeeAllFeedback(viewer, meta);
        out.push(
          toView(
            row,
            inds
              .filter((i) => i.alertId === id)
              .sort((a, b) => (a.type + a.value < b.type + b.value ? -1 : 1)),
            reps
              .filter((r) => r.alertId === id && (all || r.orgId === viewer.orgId))
              .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
              .map(toReportView),
          ),
        );
      }
    }
    return out;
  }

  return {
    publish,
    publishAll,
    update,
    revoke,
    expire,
    sweepExpired,
    report,
    view,
    viewsOf,
    visibleMetas,
    adoptRemote,
    adoptRemoteFeedback,
    meta: (id: string) => metas.get(id) ?? null,
    refFromMemory,
    /** The runs of row owners, for the figures of the hub bench. */
    rowOwnerStats: () => ({ runs: owners.runs, bytes: owners.bytes }),
    groupSource,
    indexedCount: () => index.size,
  };
}

export type AlertService = Awaited<ReturnType<typeof createAlertService>>;
