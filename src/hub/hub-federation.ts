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
import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { isIndicatorType, normalizeIndicator } from '../domain/indicators/index.ts';
import { isTlpLevel, mayLeaveNode } from '../domain/tlp/index.ts';
import { PeerProtocolError } from '../federation/federation-errors.ts';
import { enqueueMessage } from '../federation/outbox-store.ts';
import type { Clock } from '../shared/clock.ts';
import { type FieldProblem, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Database, Db } from '../store/database.ts';
import {
  HUB_ALERT_KINDS,
  HUB_ORG_KINDS,
  HUB_REPORT_KINDS,
  hubAlerts,
  hubGroupMembers,
  hubGroupNodes,
  hubIndicators,
  hubOrgs,
  hubRemoteOrgs,
  hubReports,
} from '../store/schema/index.ts';
import type { AlertChange, AlertService, IndicatorRow, ReportRow } from './alert-service.ts';
import {
  feedbackRecipientsFor,
  feedbackRefusalOf,
  type GroupNodes,
  recipientsFor,
  refusalOf,
} from './group-routing.ts';
import type { AlertKind, AlertMeta, OrgKind, TlpLabel } from './hub-types.ts';
import { allDerived } from './indicator-ids.ts';
import { indicatorRowsOf, insertIndicatorRows } from './indicator-rows.ts';
import type { Membership, Org } from './membership.ts';

/** The federation message types (src/domain/federation/protocol.ts lists them). */
export const ALERT_MESSAGE = 'alert';
export const FEEDBACK_MESSAGE = 'alert_feedback';

type OrgInfo = { id: string; name: string; kind: string; country: string };

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

const PARTY = /^[A-Z]{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_INDICATORS = 100_000;

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

export async function createHubFederation(deps: HubFederationDeps) {
  const { database, clock, membership, nodeState: self } = deps;
  const nudge = deps.nudge ?? (() => {});
  const groupNodes = new Map<string, GroupNodes>();
  const homeOf = new Map<string, string>();
  let alerts: AlertService | null = null;

  /** Reads the nodes of each group and the home of each remote organisation (at start, and when another replica changed them). */
  async function load(): Promise<void> {
    const [nodeRows, remoteRows] = await Promise.all([
      database.db.select().from(hubGroupNodes),
      database.db.select().from(hubRemoteOrgs),
    ]);
    groupNodes.clear();
    homeOf.clear();
    for (const row of nodeRows) {
      const g = groupNodes.get(row.groupId) ?? { hub: null, nodes: [] };
      groupNodes.set(row.groupId, {
        hub: row.role === 'hub' ? row.state : g.hub,
        nodes: [...g.nodes, row.state].sort(),
      });
    }
    for (const row of remoteRows) homeOf.set(row.orgId, row.homeState);
  }
  await load();

  /** The node where an alert was published: its publisher's home. */
  const originOf = (meta: Pick<AlertMeta, 'publisherOrgId'>) => homeOf.get(meta.publisherOrgId) ?? self;

  /** An administrator names the nodes that share a group, and which one is the hub (or none). */
  async function setGroupNodes(
    actor: string,
    groupId: string,
    input: { hub: string | null; nodes: string[] },
  ) {
    const group = membership.findGroup(groupId);
    if (!group) throw new NotFoundError('Sharing group', groupId);
    const problems: FieldProblem[] = [];
    const nodes = [...new Set(input.nodes)].sort();
    nodes.forEach((n, i) => {
      if (!PARTY.test(n)) problems.push({ field: `nodes/${i}`, message: 'must be a Party code like SG' });
    });
    if (nodes.length > 0 && !nodes.includes(self))
      problems.push({ field: 'nodes', message: `must include this node (${self})` });
    if (input.hub !== null && !nodes.includes(input.hub))
      problems.push({ field: 'hub', message: 'must be one of the nodes' });
    if (problems.length) throw new ValidationError(problems);
    const now = clock.now();
    await database.db.transaction(async (tx) => {
      await tx.delete(hubGroupNodes).where(eq(hubGroupNodes.groupId, groupId));
      if (nodes.length)
        await tx.insert(hubGroupNodes).values(
          nodes.map((state) => ({
            groupId,
            state,
            role: state === input.hub ? 'hub' : 'member',
            createdAt: now,
          })),
        );
      await appendAudit(
        tx,
        {
          actor,
          action: 'hub.group.nodes',
          objectType: 'hub_group',
          objectId: groupId,
          payload: { hub: input.hub, nodes },
        },
        now,
      );
    });
    if (nodes.length) groupNodes.set(groupId, { hub: input.hub, nodes });
    else groupNodes.delete(groupId);
    return nodesView(groupId);
  }

  function nodesView(groupId: string) {
    const g = groupNodes.get(groupId);
    return { groupId, hub: g?.hub ?? null, nodes: [...(g?.nodes ?? [])] };
  }

  async function snapshot(tx: Db, meta: AlertMeta, event: AlertMessage['event']): Promise<AlertMessage> {
    const [row] = await tx.select().from(hubAlerts).where(eq(hubAlerts.id, meta.id));
    const org = membership.findOrg(meta.publisherOrgId);
    if (!row || !org) throw new Error(`alert ${meta.id} or its publisher is missing`);
    const withdrawn = event === 'withdrawn';
    const indicators = withdrawn
      ? []
      : await tx
          .select({ id: hubIndicators.id, type: hubIndicators.type, value: hubIndicators.value })
          .from(hubIndicators)
          .where(eq(hubIndicators.alertId, meta.id));
    return {
      event,
      origin: originOf(meta),
      groupId: meta.groupId,
      publisher: { id: org.id, name: org.name, kind: org.kind, country: org.country },
      alert: {
        id: row.id,
        kind: row.kind,
        // A withdrawn alert tells the other nodes nothing beyond its id: its content is no longer theirs.
        title: withdrawn ? 'Withdrawn by its publisher' : row.title,
        description: withdrawn ? '' : row.description,
        confidence: row.confidence,
        tlp: row.tlp,
        validFrom: row.validFrom.toISOString(),
        validUntil: row.validUntil?.toISOString() ?? null,
        status: withdrawn ? 'revoked' : (row.status as 'active' | 'revoked'),
        version: row.version,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        revokedAt: row.revokedAt?.toISOString() ?? (withdrawn ? row.updatedAt.toISOString() : null),
      },
      indicators,
    };
  }

  async function enqueue(tx: Db, recipients: string[], message: AlertMessage, now: Date) {
    for (const recipient of recipients)
      await enqueueMessage(
        tx,
        { recipient, type: ALERT_MESSAGE, requestId: message.alert.id, body: message },
        now,
        deps.lifetimeMs,
      );
  }

  /** In the transaction of a change made here: the messages for the group's other nodes. */
  async function changeHook(tx: Db, change: AlertChange): Promise<void> {
    const group = groupNodes.get(change.after.groupId);
    if (!group || originOf(change.after) !== self) return;
    const recipients = recipientsFor(group, self, self, null);
    if (recipients.length === 0) return;
    const wasShared = change.before !== null && mayLeaveNode(change.before.tlp);
    const shared = mayLeaveNode(change.after.tlp);
    if (!shared && !wasShared) return;
    let message: AlertMessage;
    if (!shared) {
      // Tightened to AMBER+STRICT or RED: the copies elsewhere are withdrawn, at the level they had.
      message = await snapshot(tx, change.after, 'withdrawn');
      message.alert.tlp = change.before!.tlp;
    } else message = await snapshot(tx, change.after, wasShared ? change.event : 'published');
    await enqueue(tx, recipients, message, change.now);
  }

  function parse(body: unknown): AlertMessage {
    const fail = (why: string): never => {
      throw new PeerProtocolError(`An '${ALERT_MESSAGE}' message ${why}.`);
    };
    const m = body as AlertMessage;
    if (!m || typeof m !== 'object') fail('carries an object');
    if (!['published', 'updated', 'revoked', 'withdrawn'].includes(m.event)) fail('names its event');
    if (typeof m.origin !== 'string' || !PARTY.test(m.origin)) fail('names its origin node');
    if (typeof m.groupId !== 'string' || !UUID.test(m.groupId)) fail('names its sharing group');
    if (!isOrgInfo(m.publisher)) fail('names its publisher { id, name, kind, country }');
    const a = m.alert;
    const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
    if (
      !a ||
      typeof a.id !== 'string' ||
      !UUID.test(a.id) ||
      !(HUB_ALERT_KINDS as readonly string[]).includes(a.kind) ||
      typeof a.title !== 'string' ||
      a.title.length > 300 ||
      typeof a.description !== 'string' ||
      a.description.length > 20_000 ||
      !Number.isInteger(a.confidence) ||
      a.confidence < 0 ||
      a.confidence > 100 ||
      !isTlpLevel(a.tlp) ||
      !isDate(a.validFrom) ||
      (a.validUntil !== null && !isDate(a.validUntil)) ||
      !['active', 'revoked'].includes(a.status) ||
      !Number.isInteger(a.version) ||
      a.version < 1 ||
      !isDate(a.createdAt) ||
      !isDate(a.updatedAt) ||
      (a.revokedAt !== null && !isDate(a.revokedAt))
    )
      fail('carries a well-formed alert');
    if (!Array.isArray(m.indicators) || m.indicators.length > MAX_INDICATORS)
      fail(`carries at most ${MAX_INDICATORS} indicators`);
    if (m.event === 'withdrawn' && m.indicators.length > 0) fail('of a withdrawal carries no indicators');
    const problems: FieldProblem[] = [];
    m.indicators.forEach((ind, i) => {
      if (!ind || typeof ind.id !== 'string' || !UUID.test(ind.id) || typeof ind.value !== 'string') {
        problems.push({ field: `indicators/${i}`, message: 'needs an id, a type and a value' });
        return;
      }
      // Values travel in normal form; one that is not is refused, never stored as sent.
      const normal = isIndicatorType(ind.type) ? normalizeIndicator(ind.type, ind.value) : null;
      if (!normal?.ok || normal.value !== ind.value)
        problems.push({ field: `indicators/${i}`, message: `not a ${ind.type} in normal form` });
    });
    if (problems.length)
      throw new PeerProtocolError(`An '${ALERT_MESSAGE}' message holds bad indicators.`, {
        errors: problems.slice(0, 100),
      });
    return m;
  }

  /**
   * Applies a copy received from `from`, inside the inbox transaction; answers what to do after the
   * commit (memory, index, local subscribers). A hub also queues the copy for the group's other nodes.
   */
  async function apply(tx: Db, from: string, body: unknown): Promise<(() => void) | undefined> {
    if (!alerts) throw new Error('the hub federation is not bound to the alert service');
    const m = parse(body);
    const group = groupNodes.get(m.groupId) ?? null;
    const refusal = refusalOf(group, self, from, m.origin);
    if (refusal) throw new PeerProtocolError(`Alert ${m.alert.id} refused: ${refusal}.`);
    if (!mayLeaveNode(m.alert.tlp as TlpLabel))
      throw new PeerProtocolError(`TLP:${m.alert.tlp} never leaves its node; alert ${m.alert.id} refused.`);
    const org = checkRemoteOrg(m.publisher, m.origin, m.groupId);
    const [current] = await tx.select().from(hubAlerts).where(eq(hubAlerts.id, m.alert.id));
    if (current && (current.publisherOrgId !== m.publisher.id || current.groupId !== m.groupId))
      throw new PeerProtocolError(`Alert ${m.alert.id} here has another publisher or group.`);
    // A version already held (or a newer one) changes nothing: the copy is idempotent.
    if (current && current.version >= m.alert.version) return undefined;
    const now = clock.now();
    const adoptOrg = await storeRemoteOrg(tx, org, now);

    const a = m.alert;
    const fields = {
      kind: a.kind,
      title: a.title,
      description: a.description,
      confidence: a.confidence,
      tlp: a.tlp,
      validFrom: new Date(a.validFrom),
      validUntil: a.validUntil ? new Date(a.validUntil) : null,
      status: a.status,
      version: a.version,
      updatedAt: new Date(a.updatedAt),
      revokedAt: a.revokedAt ? new Date(a.revokedAt) : null,
    };
    const before: IndicatorRow[] = current ? await indicatorRowsOf(tx, a.id) : [];
    const held = new Set(before.map((b) => b.id));
    const arriving = m.indicators.filter((i) => !held.has(i.id));
    // A publisher on an older version sends random ids: that alert's hits are then read from the database.
    const idsDerived = (current ? current.indicatorIdsDerived : true) && allDerived(a.id, arriving);
    if (current)
      await tx
        .update(hubAlerts)
        .set({ ...fields, indicatorIdsDerived: idsDerived })
        .where(eq(hubAlerts.id, a.id));
    else
      await tx.insert(hubAlerts).values({
        ...fields,
        id: a.id,
        groupId: m.groupId,
        publisherOrgId: m.publisher.id,
        recipientOrgIds: [],
        // No user of this node made it: the publisher organisation stands in.
        createdBy: m.publisher.id,
        createdAt: new Date(a.createdAt),
        indicatorIdsDerived: idsDerived,
      });

    const incoming = new Map(m.indicators.map((i) => [i.id, i]));
    const removed = before.filter((b) => !incoming.has(b.id));
    if (removed.length)
      await tx.delete(hubIndicators).where(
        and(
          eq(hubIndicators.alertId, a.id),
          inArray(
            hubIndicators.id,
            removed.map((r) => r.id),
          ),
        ),
      );
    const added = await insertIndicatorRows(
      tx,
      arriving.map((i) => ({
        id: i.id,
        alertId: a.id,
        type: i.type,
        value: i.value,
        valueHash: sha256Hex(i.value),
        createdAt: now,
      })),
    );
    await appendAudit(
      tx,
      {
        actor: `node:${from}`,
        action: 'hub.alert.receive',
        objectType: 'hub_alert',
        objectId: a.id,
        payload: {
          event: m.event,
          origin: m.origin,
          version: a.version,
          tlp: a.tlp,
          groupId: m.groupId,
          added: added.map((i) => sha256Hex(i.value)),
          removed: removed.map((r) => sha256Hex(r.value)),
        },
      },
      now,
    );
    const forwardTo = group ? recipientsFor(group, self, m.origin, from) : [];
    await enqueue(tx, forwardTo, m, now);

    const meta: AlertMeta = {
      id: a.id,
      kind: a.kind as AlertKind,
      title: a.title,
      confidence: a.confidence,
      tlp: a.tlp as TlpLabel,
      groupId: m.groupId,
      publisherOrgId: m.publisher.id,
      recipientOrgIds: [],
      status: a.status,
      validFrom: fields.validFrom,
      validUntil: fields.validUntil,
      version: a.version,
      createdAt: current?.createdAt ?? new Date(a.createdAt),
      updatedAt: fields.updatedAt,
    };
    const event = !current
      ? 'alert.published'
      : a.status === 'revoked' && current.status !== 'revoked'
        ? 'alert.revoked'
        : 'alert.updated';
    const service = alerts;
    return () => {
      adoptOrg();
      service.adoptRemote(meta, { before, added, removed, event, idsDerived });
      if (forwardTo.length) nudge();
    };
  }

  type RemoteOrg = { info: OrgInfo; home: string; groupId: string; known: boolean };

  /** An organisation of another node: never one of ours, never claimed by two nodes. */
  function checkRemoteOrg(info: OrgInfo, home: string, groupId: string): RemoteOrg {
    if (!membership.findGroup(groupId))
      throw new PeerProtocolError(`This node has no sharing group ${groupId}.`);
    const stored = homeOf.get(info.id);
    const known = membership.findOrg(info.id) !== null;
    if (known && stored === undefined)
      throw new PeerProtocolError(`Organisation ${info.id} is a member of this node, not of ${home}.`);
    if (stored !== undefined && stored !== home)
      throw new PeerProtocolError(`Organisation ${info.id} belongs to ${stored}, not ${home}.`);
    return { info, home, groupId, known };
  }

  /** Stores the organisation (and its group membership) in the transaction; answers the after-commit step. */
  async function storeRemoteOrg(tx: Db, org: RemoteOrg, now: Date): Promise<() => void> {
    let created: Org | null = null;
    if (!org.known) {
      // Names are unique per node: an organisation of another node is suffixed with its node.
      let name = `${org.info.name} (${org.home})`;
      if (membership.findOrgByName(name)) name = `${name} ${org.info.id.slice(-6)}`;
      created = {
        id: org.info.id,
        name,
        kind: org.info.kind as OrgKind,
        country: org.info.country,
        createdAt: now,
      };
      await tx.insert(hubOrgs).values(created);
      await tx.insert(hubRemoteOrgs).values({ orgId: created.id, homeState: org.home, createdAt: now });
    }
    await tx
      .insert(hubGroupMembers)
      .values({ groupId: org.groupId, orgId: org.info.id, createdAt: now })
      .onConflictDoNothing();
    return () => {
      if (created) homeOf.set(created.id, org.home);
      membership.adoptRemoteOrg(created ?? membership.findOrg(org.info.id)!, org.groupId);
    };
  }

  /** In the transaction of feedback reported here about another node's alert: on its way back. */
  async function feedbackHook(tx: Db, alert: AlertMeta, report: ReportRow, now: Date): Promise<void> {
    const group = groupNodes.get(alert.groupId);
    const origin = originOf(alert);
    if (!group || origin === self) return;
    const reporter = membership.findOrg(report.orgId);
    if (!reporter) return;
    const message: FeedbackMessage = {
      origin,
      groupId: alert.groupId,
      alertId: alert.id,
      reporterNode: self,
      reporter: { id: reporter.id, name: reporter.name, kind: reporter.kind, country: reporter.country },
      report: {
        id: report.id,
        kind: report.kind,
        indicatorId: report.indicatorId,
        count: report.count,
        note: report.note,
        observedAt: report.observedAt.toISOString(),
        createdAt: report.createdAt.toISOString(),
      },
    };
    for (const recipient of feedbackRecipientsFor(group, self, origin))
      await enqueueMessage(
        tx,
        { recipient, type: FEEDBACK_MESSAGE, requestId: null, body: message },
        now,
        deps.lifetimeMs,
      );
  }

  function parseFeedback(body: unknown): FeedbackMessage {
    const m = body as FeedbackMessage;
    const r = m?.report;
    const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
    if (
      !m ||
      typeof m !== 'object' ||
      typeof m.origin !== 'string' ||
      !PARTY.test(m.origin) ||
      typeof m.reporterNode !== 'string' ||
      !PARTY.test(m.reporterNode) ||
      typeof m.groupId !== 'string' ||
      !UUID.test(m.groupId) ||
      typeof m.alertId !== 'string' ||
      !UUID.test(m.alertId) ||
      !isOrgInfo(m.reporter) ||
      !r ||
      typeof r.id !== 'string' ||
      !UUID.test(r.id) ||
      !(HUB_REPORT_KINDS as readonly string[]).includes(r.kind) ||
      (r.indicatorId !== null && (typeof r.indicatorId !== 'string' || !UUID.test(r.indicatorId))) ||
      !Number.isInteger(r.count) ||
      r.count < 1 ||
      r.count > 1_000_000_000 ||
      typeof r.note !== 'string' ||
      r.note.length > 2000 ||
      !isDate(r.observedAt) ||
      !isDate(r.createdAt)
    )
      throw new PeerProtocolError(`An '${FEEDBACK_MESSAGE}' message is not well formed.`);
    return m;
  }

  /**
   * Feedback received from `from`: the publisher's node stores it and tells its subscribers; the hub
   * passes it on to the publisher's node and keeps nothing.
   */
  async function applyFeedback(tx: Db, from: string, body: unknown): Promise<(() => void) | undefined> {
    if (!alerts) throw new Error('the hub federation is not bound to the alert service');
    const m = parseFeedback(body);
    const group = groupNodes.get(m.groupId) ?? null;
    const refusal = feedbackRefusalOf(group, self, from, m.reporterNode, m.origin);
    if (refusal) throw new PeerProtocolError(`Feedback ${m.report.id} refused: ${refusal}.`);
    const meta = alerts.meta(m.alertId);
    if (!meta || meta.groupId !== m.groupId || originOf(meta) !== m.origin || !mayLeaveNode(meta.tlp))
      throw new PeerProtocolError(`This node holds no alert ${m.alertId} of ${m.origin} in that group.`);
    const now = clock.now();
    if (m.origin !== self) {
      const forwardTo = feedbackRecipientsFor(group!, self, m.origin);
      for (const recipient of forwardTo)
        await enqueueMessage(
          tx,
          { recipient, type: FEEDBACK_MESSAGE, requestId: null, body: m },
          now,
          deps.lifetimeMs,
        );
      return () => nudge();
    }
    const org = checkRemoteOrg(m.reporter, m.reporterNode, m.groupId);
    const adoptOrg = await storeRemoteOrg(tx, org, now);
    let indicatorId = m.report.indicatorId;
    if (indicatorId) {
      const [ind] = await tx
        .select({ id: hubIndicators.id })
        .from(hubIndicators)
        .where(and(eq(hubIndicators.id, indicatorId), eq(hubIndicators.alertId, m.alertId)));
      // The publisher may have removed the indicator meanwhile: the report stays, about the alert.
      if (!ind) indicatorId = null;
    }
    const row: ReportRow = {
      id: m.report.id,
      alertId: m.alertId,
      indicatorId,
      kind: m.report.kind,
      orgId: m.reporter.id,
      // No user of this node reported it: the reporting organisation stands in.
      reportedBy: m.reporter.id,
      count: m.report.count,
      note: m.report.note,
      observedAt: new Date(m.report.observedAt),
      createdAt: new Date(m.report.createdAt),
    };
    const inserted = await tx
      .insert(hubReports)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: hubReports.id });
    if (inserted.length === 0) return adoptOrg;
    await appendAudit(
      tx,
      {
        actor: `node:${from}`,
        action: row.kind === 'sighting' ? 'hub.alert.sighting' : 'hub.alert.false_positive',
        objectType: 'hub_alert',
        objectId: m.alertId,
        payload: { reportId: row.id, indicatorId, count: row.count, reporterNode: m.reporterNode },
      },
      now,
    );
    const service = alerts;
    return () => {
      adoptOrg();
      service.adoptRemoteFeedback(m.alertId, row);
    };
  }

  return {
    changeHook,
    feedbackHook,
    apply,
    applyFeedback,
    setGroupNodes,
    nodesView,
    reload: load,
    /** The node an organisation lives on (this node for its own members). */
    homeOf: (orgId: string) => homeOf.get(orgId) ?? self,
    bind(service: AlertService) {
      alerts = service;
    },
  };
}

export type HubFederation = Awaited<ReturnType<typeof createHubFederation>>;

function isOrgInfo(o: unknown): o is OrgInfo {
  const p = o as OrgInfo;
  return (
    !!p &&
    typeof p.id === 'string' &&
    UUID.test(p.id) &&
    typeof p.name === 'string' &&
    p.name.trim() !== '' &&
    p.name.length <= 200 &&
    (HUB_ORG_KINDS as readonly string[]).includes(p.kind) &&
    typeof p.country === 'string' &&
    PARTY.test(p.country)
  );
}
