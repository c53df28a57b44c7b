// Requests under the Convention: case files, the requests (both copies: outgoing and incoming),
// their timeline, links between them, and identifiers as keyed hashes for the duplicate warning.
// The identifier table never holds a clear value: only an HMAC under the node's secret.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey(),
  reference: text('reference').notNull().unique(),
  createdAt: ts('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

export const requests = pgTable(
  'requests',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    direction: text('direction').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    urgency: text('urgency').notNull(),
    requestingState: text('requesting_state').notNull(),
    requestedState: text('requested_state').notNull(),
    partnerState: text('partner_state').notNull(),
    body: jsonb('body').notNull(),
    legalBasis: text('legal_basis').notNull(),
    treatyRef: text('treaty_ref'),
    legalBasisReason: text('legal_basis_reason').notNull(),
    legalBasisCandidates: jsonb('legal_basis_candidates').notNull(),
    scopeResult: text('scope_result').notNull(),
    scopeReason: text('scope_reason').notNull(),
    draftedBy: text('drafted_by').notNull(),
    approvedBy: text('approved_by'),
    assignedTo: text('assigned_to'),
    emergencyApprovalPending: boolean('emergency_approval_pending').notNull().default(false),
    emergencyApprovalDueAt: ts('emergency_approval_due_at'),
    requestedDeadline: ts('requested_deadline'),
    startedAt: ts('started_at'),
    postponedUntil: ts('postponed_until'),
    nextDueAt: ts('next_due_at'),
    nextDueKind: text('next_due_kind'),
    executedAt: ts('executed_at'),
    preservationExpiresAt: ts('preservation_expires_at'),
    preservationExtensions: integer('preservation_extensions').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** drizzle/0020_exercises.sql: the exercise the request belongs to; null for real work. */
    exerciseId: uuid('exercise_id'),
  },
  (t) => [
    index('requests_case_idx').on(t.caseId),
    // drizzle/0037_request_step_facts.sql: whether a request opens its case, from the index alone.
    index('requests_case_created_idx').on(t.caseId, t.createdAt, t.id),
    index('requests_status_idx').on(t.status, t.id),
    index('requests_type_idx').on(t.type, t.id),
    index('requests_partner_idx').on(t.partnerState, t.id),
    index('requests_urgency_idx').on(t.urgency, t.id),
    index('requests_next_due_idx').on(t.nextDueAt),
    index('requests_assigned_idx').on(t.assignedTo, t.id),
    // drizzle/0004_request_indexes.sql: combined filters and the overdue filter at a million rows.
    index('requests_status_partner_idx').on(t.status, t.partnerState, t.id),
    index('requests_status_type_idx').on(t.status, t.type, t.id),
    index('requests_overdue_idx')
      .using(
        'btree',
        sql`(LEAST(${t.nextDueAt}, CASE WHEN ${t.emergencyApprovalPending} THEN ${t.emergencyApprovalDueAt} END))`,
        t.partnerState,
        t.urgency,
        t.type,
        t.status,
        t.assignedTo,
      )
      .where(sql`${t.nextDueAt} IS NOT NULL OR ${t.emergencyApprovalPending}`),
  ],
);

// Append-only, like the audit log: the timeline shown to officers and courts.
export const requestEvents = pgTable(
  'request_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    at: ts('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    details: jsonb('details').notNull(),
  },
  (t) => [
    index('request_events_request_idx').on(t.requestId, t.id),
    // drizzle/0017_reports.sql: implementation indicators count steps by when they happened.
    index('request_events_at_idx').on(t.at),
  ],
);

export const requestLinks = pgTable(
  'request_links',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    linkedId: uuid('linked_id')
      .notNull()
      .references(() => requests.id),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.linkedId] }),
    index('request_links_linked_idx').on(t.linkedId),
  ],
);

export const requestIdentifiers = pgTable(
  'request_identifiers',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    kind: text('kind').notNull(),
    keyedHash: text('keyed_hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.keyedHash] }),
    index('request_identifiers_hash_idx').on(t.keyedHash),
  ],
);

// Persisted timers (deadlines, emergency approval, preservation reminders and expiry): rows, so
// they survive restarts; claimed with FOR UPDATE SKIP LOCKED so replicas never fire one twice.
export const requestTimers = pgTable(
  'request_timers',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    kind: text('kind').notNull(),
    dueAt: ts('due_at').notNull(),
    details: jsonb('details').notNull(),
    doneAt: ts('done_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('request_timers_due_idx').on(t.dueAt), index('request_timers_request_idx').on(t.requestId)],
);

// In-app notifications, to one account (its id) or to everyone holding a role ('role:APPROVER').
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    recipient: text('recipient').notNull(),
    requestId: uuid('request_id').references(() => requests.id),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
    exerciseId: uuid('exercise_id'),
  },
  (t) => [index('notifications_recipient_idx').on(t.recipient, t.id)],
);

// Each notification to send outside the node (a signed webhook, an e-mail): retried with backoff
// until delivered or given up. A claimed row carries a lease in next_attempt_at, so replicas never
// deliver the same one at once.
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id),
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').default(0).notNull(),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.nextAttemptAt),
    index('notification_deliveries_notification_idx').on(t.notificationId),
  ],
);

/**
 * The columns of a step and of its request that decide which step indicators it counts in and how it
 * is broken down, as request_step_facts and request_step_counts both hold them (fresh builders for
 * each table).
 */
const stepKeyColumns = () => ({
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  refusalGround: text('refusal_ground'),
  exercise: boolean('exercise').notNull(),
  confidential: boolean('confidential').notNull(),
  type: text('type').notNull(),
  direction: text('direction').notNull(),
  partner: text('partner').notNull(),
  urgency: text('urgency').notNull(),
  legalBasis: text('legal_basis').notNull(),
});

// drizzle/0037_request_step_facts.sql: each step with the columns of its request that the
// implementation indicators break it down by, kept by triggers (never written by the application).
export const requestStepFacts = pgTable(
  'request_step_facts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id').notNull(),
    at: ts('at').notNull(),
    actor: text('actor').notNull(),
    ...stepKeyColumns(),
    caseId: uuid('case_id').notNull(),
    createdAt: ts('created_at').notNull(),
    requestedDeadline: ts('requested_deadline'),
    /** The request's first sending or receipt (the least `at` of those steps). */
    started: ts('started'),
    /** No request of its case is older (by creation, then id). */
    firstOfCase: boolean('first_of_case').notNull(),
    /** drizzle/0039: a settled answer with none before it in its request's timeline (by id). */
    firstAnswer: boolean('first_answer').notNull().default(false),
    /** drizzle/0039: the registrations whose first step by a person this step is (their `at`). */
    firstActionAfter: ts('first_action_after').array(),
  },
  (t) => [
    index('request_step_facts_at_idx').on(t.at),
    index('request_step_facts_request_idx').on(t.requestId),
  ],
);

// drizzle/0039_request_step_counts.sql: the steps counted per UTC month and per value of what decides
// their step indicators and breakdowns, kept by triggers on request_step_facts.
export const requestStepCounts = pgTable(
  'request_step_counts',
  {
    month: date('month', { mode: 'string' }).notNull(),
    ...stepKeyColumns(),
    opensCase: boolean('opens_case').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('request_step_counts_key')
      .on(
        t.month,
        t.action,
        t.fromStatus,
        t.toStatus,
        t.refusalGround,
        t.opensCase,
        t.confidential,
        t.type,
        t.direction,
        t.partner,
        t.urgency,
        t.legalBasis,
        t.exercise,
      )
      .nullsNotDistinct(),
  ],
);
