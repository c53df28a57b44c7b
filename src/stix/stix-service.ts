// STIX export and import for a viewer: reads go through the hub's visibility rules, imports through
// the all-or-nothing publish path (one transaction, one audit entry per alert).
import type { HubService } from '../hub/hub-service.ts';
import type { AlertView, Viewer } from '../hub/hub-types.ts';
import { alertsToStix, bundleOf, type StixObject } from './stix-export.ts';
import { type ImportOptions, planImport } from './stix-import.ts';

export function createStixService(hub: HubService) {
  const orgOf = (id: string) => hub.membership.findOrg(id);

  async function visibleViews(
    viewer: Viewer,
    filter: { groupId?: string; state?: string } = {},
  ): Promise<AlertView[]> {
    return hub.alerts.viewsOf(viewer, hub.alerts.visibleMetas(viewer, filter));
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
    async importDocument(viewer: Viewer, doc: unknown, options: ImportOptions, source = 'stix') {
      const plan = planImport(doc, options);
      const created = await hub.alerts.publishAll(viewer, plan.alerts, source);
      return { objects: plan.objects, alerts: created, skipped: plan.skipped };
    },
  };
}

export type StixService = ReturnType<typeof createStixService>;
