// STIX export and import for a viewer: reads go through the hub's visibility rules, imports through
// the all-or-nothing publish path (one transaction, one audit entry per alert).
import type { HubService } from '../hub/hub-service.ts';
import type { AlertView, Viewer } from '../hub/hub-types.ts';
import { AppError, ForbiddenError, ValidationError } from '../shared/errors.ts';
import type { Database } from '../store/database.ts';
import { createObjectStore } from './object-store.ts';
import { alertsToStix, bundleOf, type StixObject } from './stix-export.ts';
import { versionOf } from './stix-ids.ts';
import { type ImportOptions, planImport } from './stix-import.ts';

/** The ids of the objects a document holds (no checks: planImport does those). */
function idsIn(doc: unknown): string[] {
  const list = Array.isArray(doc) ? doc : (doc as { objects?: unknown } | null)?.objects;
  if (!Array.isArray(list)) return [];
  return list.flatMap((o) =>
    typeof (o as { id?: unknown })?.id === 'string' ? [(o as { id: string }).id] : [],
  );
}

export type Failed = { index: number; id: string; version: string; message: string };

/** The objects a validation error blames, each with its problems; null if a problem blames no object. */
function objectFailures(error: unknown, objects: unknown[]): Failed[] | null {
  if (!(error instanceof ValidationError)) return null;
  const byIndex = new Map<number, string[]>();
  for (const e of error.errors) {
    const m = /^objects\/(\d+)(\/|$)/.exec(e.field);
    if (!m) return null;
    const list = byIndex.get(Number(m[1])) ?? [];
    list.push(`${e.field.slice(m[0].length) || 'object'}: ${e.message}`);
    byIndex.set(Number(m[1]), list);
  }
  return [...byIndex].map(([index, messages]) => {
    const o = (objects[index] ?? {}) as Record<string, unknown>;
    return {
      index,
      id: typeof o.id === 'string' ? o.id : `objects/${index}`,
      version: versionOf(o),
      message: messages.join('; ').slice(0, 1000),
    };
  });
}

export type ImportResult = {
  objects: number;
  kept: number;
  unchanged: number;
  ignoredTypes: Record<string, number>;
  alerts: { id: string; indicators: number }[];
  skipped: { object: string; reason: string }[];
};

export function createStixService(hub: HubService, database: Database) {
  const orgOf = (id: string) => hub.membership.findOrg(id);
  const store = createObjectStore(database);

  async function visibleViews(
    viewer: Viewer,
    filter: { groupId?: string; state?: string } = {},
  ): Promise<AlertView[]> {
    return hub.alerts.viewsOf(viewer, hub.alerts.visibleMetas(viewer, filter));
  }

  /** Revokes an alert whose STIX indicator was replaced or deleted; only its publisher may, so others are logged. */
  async function revokeQuietly(viewer: Viewer, alertId: string, reason: string): Promise<boolean> {
    try {
      await hub.alerts.revoke(viewer, alertId, reason);
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  }

  async function importDocument(
    viewer: Viewer,
    doc: unknown,
    options: ImportOptions,
    source = 'stix',
  ): Promise<ImportResult> {
    const group = hub.membership.findGroup(options.groupId);
    if (!viewer.orgId)
      throw new ForbiddenError(
        'Your account belongs to no member organisation of the hub.',
        'ERR_HUB_NO_ORG',
      );
    if (!group) throw new ValidationError([{ field: 'groupId', message: 'no such sharing group' }]);
    if (!group.memberOrgIds.includes(viewer.orgId))
      throw new ForbiddenError(
        'Your organisation is not a member of this sharing group.',
        'ERR_HUB_NOT_GROUP_MEMBER',
      );
    const ownerOrgId = viewer.orgId;
    const known = await store.knownVersions(options.groupId, idsIn(doc));
    const plan = planImport(doc, { ...options, known });
    // Indicators the collection held in an older version: the new one replaces them in checks.
    const heldIds = new Set([...known].map((k) => k.slice(0, k.indexOf('\u0000'))));
    const newer = plan.kept
      .filter((k) => k.object.type === 'indicator' && heldIds.has(k.object.id))
      .map((k) => ({ id: k.object.id, version: versionOf(k.object) }));
    let superseded: string[] = [];
    const created = await hub.alerts.publishAll(viewer, plan.alerts, source, async (tx, alertIds, now) => {
      const kept = plan.kept.map((k) => ({
        object: k.object,
        tlp: k.tlp,
        alertId: k.alertIndex === null ? null : alertIds[k.alertIndex]!,
      }));
      const at = { groupId: options.groupId, ownerOrgId, userId: viewer.userId, source, now };
      await store.insert(tx, at, kept);
      superseded = await store.supersede(tx, options.groupId, newer);
    });
    for (const alertId of superseded)
      await revokeQuietly(viewer, alertId, 'a newer version of its STIX indicator');
    return {
      objects: plan.objects,
      kept: plan.kept.length,
      unchanged: plan.unchanged,
      ignoredTypes: plan.ignoredTypes,
      alerts: created,
      skipped: plan.skipped,
    };
  }

  return {
    /** A bundle of every alert the viewer may read (optionally one group or one state). */
    async exportBundle(viewer: Viewer, filter: { groupId?: string; state?: string } = {}) {
      return bundleOf(alertsToStix(await visibleViews(viewer, filter), orgOf));
    },
    async exportAlert(viewer: Viewer, alertId: string) {
      return bundleOf(alertsToStix([await hub.alerts.view(viewer, alertId)], orgOf));
    },
    /** STIX objects per alert, for TAXII (which pages and dates them itself). */
    async objectsByAlert(
      viewer: Viewer,
      groupId: string,
    ): Promise<{ alert: AlertView; objects: StixObject[] }[]> {
      const views = await visibleViews(viewer, { groupId });
      return views.map((alert) => ({ alert, objects: alertsToStix([alert], orgOf) }));
    },
    store,
    /**
     * Keeps every object as sent (each version once: a re-send changes nothing) and publishes the
     * indicators the hub can check as alerts, all in one transaction.
     */
    importDocument,
    revokeQuietly,
    /**
     * TAXII add: objects with a problem of their own fail alone (listed with their problems), the rest
     * are added as importDocument does. Problems that concern no one object still refuse the whole.
     */
    async importEach(
      viewer: Viewer,
      envelope: { objects: unknown[] },
      options: ImportOptions,
      source: string,
    ) {
      try {
        return { ...(await importDocument(viewer, envelope, options, source)), failed: [] as Failed[] };
      } catch (error) {
        const failed = objectFailures(error, envelope.objects);
        if (!failed || failed.length === envelope.objects.length) throw error;
        const bad = new Set(failed.map((f) => f.index));
        const rest = { objects: envelope.objects.filter((_, i) => !bad.has(i)) };
        return { ...(await importDocument(viewer, rest, options, source)), failed };
      }
    },
  };
}

export type StixService = ReturnType<typeof createStixService>;
