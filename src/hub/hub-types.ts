// Shapes the hub service, its routes, STIX and TAXII share.
import type { Role } from '../domain/codes.ts';
import type { IndicatorType } from '../domain/indicators/index.ts';
import type { TlpLevel } from '../domain/tlp/index.ts';
import type {
  HUB_ALERT_KINDS,
  HUB_GROUP_KINDS,
  HUB_ORG_KINDS,
  HUB_REPORT_KINDS,
} from '../store/schema/hub.ts';

export type OrgKind = (typeof HUB_ORG_KINDS)[number];
export type GroupKind = (typeof HUB_GROUP_KINDS)[number];
export type AlertKind = (typeof HUB_ALERT_KINDS)[number];
export type ReportKind = (typeof HUB_REPORT_KINDS)[number];
export type TlpLabel = TlpLevel;

/** Who is reading, as far as the hub is concerned: the organisation and its sharing groups. */
export type Viewer = {
  userId: string;
  roles: readonly Role[];
  orgId: string | null;
  groupIds: readonly string[];
};

/** What visibility and validity decisions need to know about an alert; kept in memory for checks. */
export type AlertMeta = {
  id: string;
  kind: AlertKind;
  title: string;
  confidence: number;
  tlp: TlpLabel;
  groupId: string;
  publisherOrgId: string;
  recipientOrgIds: readonly string[];
  status: 'active' | 'revoked';
  validFrom: Date;
  validUntil: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export type IndicatorView = { id: string; type: IndicatorType; value: string; valueHash: string };

export type ReportView = {
  id: string;
  kind: ReportKind;
  indicatorId: string | null;
  orgId: string;
  orgName: string;
  count: number;
  note: string;
  observedAt: string;
  createdAt: string;
};

export type AlertView = {
  id: string;
  kind: AlertKind;
  title: string;
  description: string;
  confidence: number;
  tlp: TlpLabel;
  groupId: string;
  publisherOrgId: string;
  publisherOrgName: string;
  recipientOrgIds: string[];
  status: 'active' | 'revoked';
  state: AlertState;
  validFrom: string;
  validUntil: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  revokedAt: string | null;
  indicators: IndicatorView[];
  /** Sightings and false-positive reports: all of them for the publisher, the caller's own otherwise. */
  feedback: ReportView[];
};

/** Active, not yet valid, past its validity window (expired), or revoked: computed with the clock. */
export type AlertState = 'active' | 'pending' | 'expired' | 'revoked';

export function alertState(
  alert: Pick<AlertMeta, 'status' | 'validFrom' | 'validUntil'>,
  now: Date,
): AlertState {
  if (alert.status === 'revoked') return 'revoked';
  if (alert.validUntil && now.getTime() >= alert.validUntil.getTime()) return 'expired';
  if (now.getTime() < alert.validFrom.getTime()) return 'pending';
  return 'active';
}

export type CheckMatch = {
  alertId: string;
  indicatorId: string;
  kind: AlertKind;
  title: string;
  confidence: number;
  tlp: TlpLabel;
  validUntil: string | null;
};

/** What subscribers (SSE, webhooks) are told after a commit. */
export type HubEvent = {
  id: string;
  event: 'alert.published' | 'alert.updated' | 'alert.revoked' | 'alert.expired' | 'alert.feedback';
  at: string;
  alert: AlertMeta;
  added: { id: string; type: IndicatorType; value: string }[];
  removed: { id: string; type: IndicatorType; value: string }[];
  /** A sighting or false positive: goes to the publishing organisation only. */
  feedback?: ReportView;
  /**
   * Committed by another replica of this node (src/replicas): streams here carry it, but webhooks
   * are left to the replica that made the change, so that each is called once.
   */
  replicated?: true;
};
