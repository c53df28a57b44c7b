// drizzle/0022_evidence_consent.sql: consents to the onward transfer of a package to a third State
// (art. 36), asked by the State that received it and answered by the State that sent it.
import { index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { evidencePackages } from './evidence.ts';
import { requests } from './requests.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const evidenceConsents = pgTable(
  'evidence_consents',
  {
    id: uuid('id').primaryKey(),
    packageId: uuid('package_id')
      .notNull()
      .references(() => evidencePackages.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** OUT: this node asked the originating State; IN: this node (the origin) was asked. */
    direction: text('direction').notNull(),
    originState: text('origin_state').notNull(),
    askingState: text('asking_state').notNull(),
    toState: text('to_state').notNull(),
    purpose: text('purpose').notNull(),
    status: text('status').notNull(),
    askedBy: text('asked_by').notNull(),
    askedAt: ts('asked_at').notNull(),
    answeredBy: text('answered_by'),
    answeredAt: ts('answered_at'),
    reason: text('reason'),
    /** A grant signed by the originating node (0031): what a third State's node checks. */
    grantJws: text('grant_jws'),
  },
  (t) => [index('evidence_consents_package_idx').on(t.packageId, t.toState)],
);

// drizzle/0031_evidence_onward.sql: a received package this node sent on to a third State's node under
// the originating State's consent, for a request of that third State.
export const evidenceOnwardTransfers = pgTable(
  'evidence_onward_transfers',
  {
    id: uuid('id').primaryKey(),
    packageId: uuid('package_id')
      .notNull()
      .references(() => evidencePackages.id),
    consentId: uuid('consent_id')
      .notNull()
      .references(() => evidenceConsents.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    toState: text('to_state').notNull(),
    status: text('status').notNull(),
    receipt: text('receipt'),
    sentBy: text('sent_by').notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
  },
  (t) => [unique().on(t.packageId, t.toState)],
);
