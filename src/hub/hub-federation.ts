// Alerts of a sharing group shared between nodes (a regional group such as ASEAN) travel as the
// federation's signed and encrypted 'alert' messages. Each message carries the whole alert as its
// origin node holds it (a snapshot with its version), so a copy is applied once, in any order, and a
// late older version changes nothing. Messages of one alert to one peer also keep their order: they
// use the alert id as the federation's conversation id (header.requestId) with its sequence numbers.
// TLP: only CLEAR, GREEN and AMBER leave the node, and only to the group's nodes, where the copy is
// read under the same rules; RED and AMBER+STRICT never leave. An alert tightened to RED after it was
// shared is withdrawn from the other nodes (their copy is revoked and its indicators deleted).
// Sightings and false positives reported on a copy go back to the publisher's node ('alert_feedback'),
// through the hub, which passes them on and keeps none: feedback is for the publisher only.
// The use cases are one per file in sharing/, assembled here around one context.
import type { Db } from '../store/database.ts';
import { hubRemoteOrgs } from '../store/schema/index.ts';
import type { AlertChange, AlertService, ReportRow } from './alert-service.ts';
import type { GroupNodes } from './group-routing.ts';
import type { AlertMeta } from './hub-types.ts';
import { loadGroupNodes, nodesView, setGroupNodes } from './sharing/group-nodes.ts';
import { receiveAlert } from './sharing/receive-alert.ts';
import { receiveFeedback } from './sharing/receive-feedback.ts';
import { sendAlertChange } from './sharing/send-alert.ts';
import { sendFeedback } from './sharing/send-feedback.ts';
import type { HubFederationDeps, SharingContext } from './sharing/sharing-types.ts';

export type {
  AlertMessage,
  FeedbackMessage,
  HubFederationDeps,
  SharingContext,
} from './sharing/sharing-types.ts';
export { ALERT_MESSAGE, FEEDBACK_MESSAGE } from './sharing/sharing-types.ts';

export async function createHubFederation(deps: HubFederationDeps) {
  const { db } = deps.database;
  const homeOf = new Map<string, string>();
  const groupNodes = new Map<string, GroupNodes>();
  /** Reads the nodes of each group and the home of each remote organisation (at start, and when another replica changed them). */
  async function load(): Promise<void> {
    const [nodes, remoteRows] = await Promise.all([loadGroupNodes(db), db.select().from(hubRemoteOrgs)]);
    groupNodes.clear();
    homeOf.clear();
    for (const [id, g] of nodes) groupNodes.set(id, g);
    for (const row of remoteRows) homeOf.set(row.orgId, row.homeState);
  }
  await load();
  const ctx: SharingContext = {
    database: deps.database,
    clock: deps.clock,
    membership: deps.membership,
    self: deps.nodeState,
    lifetimeMs: deps.lifetimeMs,
    nudge: deps.nudge ?? (() => {}),
    groupNodes,
    homeOf,
    alerts: null,
  };

  return {
    /** In the transaction of a change made here: the messages for the group's other nodes. */
    changeHook: (tx: Db, change: AlertChange) => sendAlertChange(ctx, tx, change),
    /** In the transaction of feedback reported here about another node's alert: on its way back. */
    feedbackHook: (tx: Db, alert: AlertMeta, report: ReportRow, now: Date) =>
      sendFeedback(ctx, tx, alert, report, now),
    /** A copy received from `from`, in the inbox transaction; answers the after-commit step. */
    apply: (tx: Db, from: string, body: unknown) => receiveAlert(ctx, tx, from, body),
    /** Feedback received from `from`: stored by the publisher's node, passed on by a hub. */
    applyFeedback: (tx: Db, from: string, body: unknown) => receiveFeedback(ctx, tx, from, body),
    /** An administrator names the nodes that share a group, and which one is the hub (or none). */
    setGroupNodes: (actor: string, groupId: string, input: { hub: string | null; nodes: string[] }) =>
      setGroupNodes(ctx, actor, groupId, input),
    nodesView: (groupId: string) => nodesView(ctx, groupId),
    reload: load,
    /** The node an organisation lives on (this node for its own members). */
    homeOf: (orgId: string) => homeOf.get(orgId) ?? ctx.self,
    bind(service: AlertService) {
      ctx.alerts = service;
    },
  };
}

export type HubFederation = Awaited<ReturnType<typeof createHubFederation>>;
