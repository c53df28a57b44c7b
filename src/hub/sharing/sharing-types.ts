// The types of alert sharing between nodes (one use case per file in this folder): the two message
// bodies, what the sharing is built from, and the context every use case takes.
import type { Clock } from '../../shared/clock.ts';
import type { Database } from '../../store/database.ts';
import type { AlertService } from '../alert-service.ts';
import type { GroupNodes } from '../group-routing.ts';
import type { AlertMeta } from '../hub-types.ts';
import type { Membership } from '../membership.ts';

/** The federation message types (src/domain/federation/protocol.ts lists them). */
export const ALERT_MESSAGE = 'alert';
export const FEEDBACK_MESSAGE = 'alert_feedback';

export type OrgInfo = { id: string; name: string; kind: string; country: string };

/** A sighting or false positive reported on one node about an alert of another, on its way back. */
export type FeedbackMessage = {
  origin: string;
  groupId: string;
  alertId: string;
  reporterNode: string;
  reporter: OrgInfo;
  report: {
    id: string;
    kind: string;
    indicatorId: string | null;
    count: number;
    note: string;
    observedAt: string;
    createdAt: string;
  };
};

export type AlertMessage = {
  event: 'published' | 'updated' | 'revoked' | 'withdrawn';
  origin: string;
  groupId: string;
  publisher: OrgInfo;
  alert: {
    id: string;
    kind: string;
    title: string;
    description: string;
    confidence: number;
    tlp: string;
    validFrom: string;
    validUntil: string | null;
    status: 'active' | 'revoked';
    version: number;
    createdAt: string;
    updatedAt: string;
    revokedAt: string | null;
  };
  indicators: { id: string; type: string; value: string }[];
};

export type HubFederationDeps = {
  database: Database;
  clock: Clock;
  membership: Membership;
  /** This node's Party code. */
  nodeState: string;
  /** How long an outbox message stays valid. */
  lifetimeMs: number;
  /** Wakes the federation sender after a commit that queued messages. */
  nudge?: () => void;
};

/** What every sharing use case takes; built once per node by createHubFederation. */
export type SharingContext = {
  database: Database;
  clock: Clock;
  membership: Membership;
  /** This node's Party code. */
  self: string;
  lifetimeMs: number;
  nudge: () => void;
  /** The nodes of each shared group, as stored. */
  groupNodes: Map<string, GroupNodes>;
  /** The node each organisation of another node lives on. */
  homeOf: Map<string, string>;
  /** Bound once the alert service exists (it is built with this sharing's hooks). */
  alerts: AlertService | null;
};

/** The node where an alert was published: its publisher's home. */
export const originOf = (ctx: SharingContext, meta: Pick<AlertMeta, 'publisherOrgId'>) =>
  ctx.homeOf.get(meta.publisherOrgId) ?? ctx.self;

/** The alert service, once bound; a message that arrives before is a programming error. */
export function boundAlerts(ctx: SharingContext): AlertService {
  if (!ctx.alerts) throw new Error('the hub federation is not bound to the alert service');
  return ctx.alerts;
}
