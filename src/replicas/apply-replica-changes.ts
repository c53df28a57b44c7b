// What a replica does with the changes another replica committed: its hub index and alert stream
// follow the alert (through the same step that adopts an alert from another node), feedback
// reaches the publisher's stream, membership (with the nodes of each sharing group) and webhooks
// are read again, credentials are
// forgotten from the cache, and the request streams hear of the request.
import { eq } from 'drizzle-orm';
import type { AuthService } from '../auth/auth-service.ts';
import type { IndicatorRow } from '../hub/alert-service.ts';
import { toMeta } from '../hub/alert-service.ts';
import type { HubService } from '../hub/hub-service.ts';
import { indicatorRowsNumbered, indicatorRowsOf } from '../hub/indicator-rows.ts';
import type { Database } from '../store/database.ts';
import { hubAlerts, hubReports } from '../store/schema/index.ts';
import type { ApplyChanges, ReplicaChange } from './replica-feed.ts';
import type { RemoteRequestChanges } from './request-changes.ts';

type AlertTouch = { added: number[]; removed: IndicatorRow[] };

export function replicaChangeApplier(deps: {
  database: Database;
  hub: HubService;
  auth: Pick<AuthService, 'forgetUser'>;
  requests: RemoteRequestChanges;
}): ApplyChanges {
  const { database, hub } = deps;
  const { db } = database;

  async function applyAlert(id: string, touch: AlertTouch): Promise<void> {
    const [row] = await db.select().from(hubAlerts).where(eq(hubAlerts.id, id));
    if (!row) return;
    const next = toMeta(row);
    const known = hub.alerts.meta(id);
    const addedNos = new Set(touch.added);
    const added = (touch.added.length === 0 ? [] : await indicatorRowsNumbered(db, touch.added)).map((r) => ({
      ...r,
      rowNo: Number(r.rowNo),
    }));
    const removed = touch.removed.filter((r) => !addedNos.has(r.rowNo));
    // What this replica held until now: the rows stored now, less those added since, plus those removed.
    const now = (await indicatorRowsOf(db, id)).map((r) => ({ ...r, rowNo: Number(r.rowNo) }));
    const before = [...now.filter((r) => !addedNos.has(r.rowNo)), ...removed];
    const event = !known
      ? 'alert.published'
      : next.status === 'revoked' && known.status !== 'revoked'
        ? 'alert.revoked'
        : 'alert.updated';
    hub.events.fromOtherReplica(() =>
      hub.alerts.adoptRemote(next, {
        before,
        added: event === 'alert.revoked' ? [] : added,
        removed: event === 'alert.revoked' ? before : removed,
        event,
        idsDerived: row.indicatorIdsDerived,
      }),
    );
  }

  async function applyReport(id: string): Promise<void> {
    const [row] = await db.select().from(hubReports).where(eq(hubReports.id, id));
    if (row) hub.events.fromOtherReplica(() => hub.alerts.adoptRemoteFeedback(row.alertId, row));
  }

  return async (changes: ReplicaChange[]) => {
    // Changes of one alert within the page are applied as one, after every change it includes.
    const alerts = new Map<string, AlertTouch>();
    const touch = (id: string) => {
      const t = alerts.get(id) ?? { added: [], removed: [] };
      alerts.set(id, t);
      return t;
    };
    let membership = false;
    let webhooks = false;
    const requests: ReplicaChange[] = [];
    const reports: string[] = [];
    for (const change of changes) {
      const detail = (change.detail ?? {}) as Record<string, unknown>;
      switch (change.topic) {
        case 'hub_alert':
          touch(change.objectId);
          break;
        case 'hub_indicators_added':
          touch(change.objectId).added.push(...(detail.rows as number[]).map(Number));
          break;
        case 'hub_indicators_removed':
          touch(change.objectId).removed.push(
            ...(detail.rows as [string, number, string, string][]).map(([id, rowNo, type, value]) => ({
              id,
              rowNo: Number(rowNo),
              type,
              value,
            })),
          );
          break;
        case 'hub_report':
          reports.push(change.objectId);
          break;
        case 'hub_membership':
          membership = true;
          break;
        case 'hub_webhooks':
          webhooks = true;
          break;
        case 'principal':
          deps.auth.forgetUser(change.objectId);
          break;
        case 'request':
          requests.push(change);
          break;
      }
    }
    // Membership first: a new organisation's alert must find its group.
    if (membership) {
      await hub.membership.reload();
      await hub.federation.reload();
    }
    if (webhooks) await hub.webhooks.reload();
    for (const [id, t] of alerts) await applyAlert(id, t);
    for (const id of reports) await applyReport(id);
    for (const r of requests) {
      const detail = (r.detail ?? {}) as { action?: string; created?: boolean };
      await deps.requests.announce(r.objectId, detail.action ?? 'update', detail.created === true);
    }
  };
}
