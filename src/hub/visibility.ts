// The one place where the hub decides who may read an alert. Every read path (alert API, checks,
// privacy-mode checks, the event stream, STIX export, TAXII) goes through canRead, which applies the
// TLP 2.0 rules of src/domain/tlp to the viewer's organisation and sharing groups.
import { mayRead } from '../domain/tlp/index.ts';
import type { AlertMeta, HubEvent, Viewer } from './hub-types.ts';

export function canRead(viewer: Viewer, alert: AlertMeta): boolean {
  return mayRead(alert.tlp, {
    viewerOrg: viewer.orgId,
    viewerGroups: viewer.groupIds,
    alertOrg: alert.publisherOrgId,
    alertGroup: alert.groupId,
    recipientsOrgs: alert.recipientOrgIds,
  });
}

/** Feedback (sightings, false positives) about an alert goes to its publisher, and each reporter sees its own. */
export function canSeeAllFeedback(viewer: Viewer, alert: AlertMeta): boolean {
  return viewer.orgId !== null && viewer.orgId === alert.publisherOrgId;
}

/** Whether a subscriber (stream, webhook) gets an event: feedback goes to the publisher only. */
export function mayReceive(viewer: Viewer, event: HubEvent): boolean {
  if (event.feedback) return canSeeAllFeedback(viewer, event.alert);
  return canRead(viewer, event.alert);
}

/** Only members of the publishing organisation change, revoke or expire an alert. */
export function canManage(viewer: Viewer, alert: AlertMeta): boolean {
  return viewer.orgId !== null && viewer.orgId === alert.publisherOrgId;
}
