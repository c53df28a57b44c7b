// drizzle/0022_evidence_consent.sql: consents to the onward transfer of a package to a third State
// (art. 36), asked by the State that received it and answered by the State that sent it.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
  },
  (t) => [index('evidence_consents_package_idx').on(t.packageId, t.toState)],
);
