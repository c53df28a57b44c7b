// Alerts and their indicators: publish, update, revoke, expire, feedback, reads — one use case per
// file in alerts/, assembled here around one context. Each change is one transaction with its audit
// entry; the in-memory metadata, the lookup index and the subscribers are told only after the commit,
// so nobody sees a change that did not happen.
import type { Clock } from '../shared/clock.ts';
import type { Database, Db } from '../store/database.ts';
import { adoptRemoteAlert, adoptRemoteFeedback } from './alerts/adopt-remote.ts';
import type { AlertContext } from './alerts/alert-context.ts';
import { createAlertMemory } from './alerts/alert-memory.ts';
import type {
  ChangeHook,
  FeedbackHook,
  PublishInput,
  ReportInput,
  ReportRow,
  UpdateInput,
} from './alerts/alert-types.ts';
import { expireAlert, sweepExpiredAlerts } from './alerts/expire-alert.ts';
import { alertViews, visibleAlerts } from './alerts/list-alerts.ts';
import { publishAlert } from './alerts/publish-alert.ts';
import { publishAlerts } from './alerts/publish-alerts.ts';
import { reportFeedback } from './alerts/report-feedback.ts';
import { revokeAlert } from './alerts/revoke-alert.ts';
import { updateAlert } from './alerts/update-alert.ts';
import { viewAlert } from './alerts/view-alert.ts';
import type { HubEvents } from './hub-events.ts';
import type { AlertMeta, Viewer } from './hub-types.ts';
import type { IndicatorRows } from './indicator-rows.ts';
import type { LookupIndex } from './lookup-index.ts';
import type { Membership } from './membership.ts';

export type { AlertContext } from './alerts/alert-context.ts';
export { MAX_INDICATORS_PER_ALERT, toMeta } from './alerts/alert-meta.ts';
export type {
  AlertChange,
  ChangeHook,
  FeedbackHook,
  IndicatorRow,
  PublishInput,
  RawIndicator,
  RejectedIndicator,
  ReportInput,
  ReportRow,
  UpdateInput,
} from './alerts/alert-types.ts';

/** Indicator rows read per query while the index is built at start. */
const START_PAGE = 50_000;

export type AlertServiceOptions = {
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
};

/** The context of the alert use cases, its memory loaded from the database. */
export async function createAlertContext(options: AlertServiceOptions): Promise<AlertContext> {
  const memory = createAlertMemory({
    index: options.index,
    membership: options.membership,
    indicatorRows: options.rows,
    startPage: options.startPage ?? START_PAGE,
  });
  const { db } = options.database;
  await memory.load(db, options.clock);
  return {
    db,
    clock: options.clock,
    membership: options.membership,
    events: options.events,
    memory,
    changeHook: options.changeHook ?? (async () => {}),
    afterChange: options.afterChange ?? (() => {}),
    feedbackHook: options.feedbackHook,
  };
}

export async function createAlertService(options: AlertServiceOptions) {
  const ctx = await createAlertContext(options);
  const { memory } = ctx;
  return {
    publish: (viewer: Viewer, input: PublishInput) => publishAlert(ctx, viewer, input),
    /** Publishes several alerts all or nothing (STIX import). */
    publishAll: (
      viewer: Viewer,
      inputs: PublishInput[],
      source: string,
      alsoInTransaction?: (tx: Db, alertIds: string[], now: Date) => Promise<void>,
    ) => publishAlerts(ctx, viewer, inputs, source, alsoInTransaction),
    update: (viewer: Viewer, id: string, input: UpdateInput, endNow = false) =>
      updateAlert(ctx, viewer, id, input, endNow),
    revoke: (viewer: Viewer, id: string, reason: string) => revokeAlert(ctx, viewer, id, reason),
    /** Ends the validity window now: the alert stops matching but stays readable as expired. */
    expire: (viewer: Viewer, id: string) => expireAlert(ctx, viewer, id),
    sweepExpired: () => sweepExpiredAlerts(ctx),
    report: (viewer: Viewer, alertId: string, input: ReportInput) =>
      reportFeedback(ctx, viewer, alertId, input),
    /** The alert as this viewer may see it, or NotFound (never Forbidden: existence is not leaked). */
    view: (viewer: Viewer, id: string) => viewAlert(ctx, viewer, id),
    /** Full views of many alerts (export, TAXII). The caller has applied canRead. */
    viewsOf: (viewer: Viewer, list: AlertMeta[]) => alertViews(ctx, viewer, list),
    /** The alerts this viewer may read, newest first, filtered in memory so TLP is applied before paging. */
    visibleMetas: (viewer: Viewer, filter?: { groupId?: string; state?: string }) =>
      visibleAlerts(ctx, viewer, filter),
    adoptRemote: (next: AlertMeta, change: Parameters<typeof adoptRemoteAlert>[2]) =>
      adoptRemoteAlert(ctx, next, change),
    adoptRemoteFeedback: (alertId: string, row: ReportRow) => adoptRemoteFeedback(ctx, alertId, row),
    meta: (id: string) => memory.metas.get(id) ?? null,
    /** The ids of every alert of a sharing group, whoever may read them (TAXII builds its view from them). */
    idsOfGroup: (groupId: string) =>
      [...memory.metas.values()].filter((m) => m.groupId === groupId).map((m) => m.id),
    refFromMemory: memory.refFromMemory,
    derivedOwner: memory.derivedOwner,
    /** The derived ids of hits whose alerts derivedOwner named, kept for the rows that hit lately. */
    indicatorIdsOf: memory.indicatorIdsOf,
    /** The runs of row owners, for the figures of the hub bench. */
    rowOwnerStats: () => ({ runs: memory.owners.runs, bytes: memory.owners.bytes }),
    groupSource: memory.groupSource,
    indexedCount: memory.indexedCount,
  };
}

export type AlertService = Awaited<ReturnType<typeof createAlertService>>;
