// The early-warning hub: member organisations, sharing groups, alerts with their indicators, and the
// sightings / false-positive reports that flow back to publishers. Hashes and identifiers only: an
// alert never carries content (no images, no messages), so CSAM infrastructure is described by hashes.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  HUB_ALERT_KINDS,
  HUB_ALERT_STATUSES,
  HUB_GROUP_KINDS,
  HUB_ORG_KINDS,
  HUB_REPORT_KINDS,
} from '../../domain/hub-vocabulary.ts';
import { users } from './foundation.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// The vocabularies live in the domain (plain constants the CLI can read without Drizzle); re-exported
// here for the tables below and the modules that import them with the schema.
export { HUB_ALERT_KINDS, HUB_ALERT_STATUSES, HUB_GROUP_KINDS, HUB_ORG_KINDS, HUB_REPORT_KINDS };

export const hubOrgs = pgTable(
  'hub_orgs',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    kind: text('kind').notNull(),
    country: text('country').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    check(
      'hub_orgs_kind_check',
      sql`${t.kind} IN ('bank', 'telecom', 'platform', 'cert', 'law_enforcement', 'regulator')`,
    ),
  ],
);

// A user belongs to at most one organisation: the user id is the key.
export const hubOrgMembers = pgTable(
  'hub_org_members',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => hubOrgs.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('hub_org_members_org_idx').on(t.orgId)],
);

export const hubGroups = pgTable(
  'hub_groups',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    kind: text('kind').notNull(),
    // 32 random bytes, hex: the HMAC-SHA-256 key members use for privacy-mode checks in this group.
    hashKey: text('hash_key').notNull(),
    createdAt: ts('created_at').notNull(),
    // The group's first privacy-mode check: after a restart the node builds the privacy-mode tables
    // of these groups in the background (src/hub/privacy-warmup.ts), not on their next check.
    privacyUsedAt: ts('privacy_used_at'),
  },
  (t) => [check('hub_groups_kind_check', sql`${t.kind} IN ('national', 'regional', 'bilateral')`)],
);

export const hubGroupMembers = pgTable(
  'hub_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => hubGroups.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => hubOrgs.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.orgId] }), index('hub_group_members_org_idx').on(t.orgId)],
);

export const hubAlerts = pgTable(
  'hub_alerts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    confidence: integer('confidence').notNull(),
    validFrom: ts('valid_from').notNull(),
    validUntil: ts('valid_until'),
    tlp: text('tlp').notNull(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => hubGroups.id),
    publisherOrgId: uuid('publisher_org_id')
      .notNull()
      .references(() => hubOrgs.id),
    // TLP:RED goes to these organisations only (besides the publisher).
    recipientOrgIds: uuid('recipient_org_ids').array().notNull().default(sql`'{}'::uuid[]`),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    revokedAt: ts('revoked_at'),
    // All the alert's indicator ids are derived from (alert, type, value) (src/hub/indicator-ids.ts),
    // so checks answer its hits from memory; false for alerts with ids from before that.
    indicatorIdsDerived: boolean('indicator_ids_derived').notNull().default(false),
    // The TAXII dates of the objects the alert makes (migration 0038, src/taxii/taxii-positions.ts):
    // the first and the last of its run, taken at its last change.
    taxiiUs: bigint('taxii_us', { mode: 'number' }),
    taxiiLastUs: bigint('taxii_last_us', { mode: 'number' }),
  },
  (t) => [
    check(
      'hub_alerts_kind_check',
      sql`${t.kind} IN ('scam_campaign', 'ransomware', 'crypto_fraud', 'csam_infrastructure')`,
    ),
    check('hub_alerts_status_check', sql`${t.status} IN ('active', 'revoked')`),
    check('hub_alerts_tlp_check', sql`${t.tlp} IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')`),
    check('hub_alerts_confidence_check', sql`${t.confidence} BETWEEN 0 AND 100`),
    check('hub_alerts_version_check', sql`${t.version} >= 1`),
    index('hub_alerts_group_idx').on(t.groupId),
    index('hub_alerts_updated_idx').on(t.updatedAt, t.id),
    index('hub_alerts_taxii_idx').on(t.groupId, t.taxiiLastUs),
  ],
);

/** Bytes (PostgreSQL bytea), as a Buffer or a Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const hubIndicators = pgTable(
  'hub_indicators',
  {
    id: uuid('id').primaryKey(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => hubAlerts.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    value: text('value').notNull(),
    // SHA-256 hex of the normalised value: lets exports and logs name an indicator without its value.
    valueHash: text('value_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    // Dense, never reused: the in-memory index keeps this (uint32) instead of the two UUIDs.
    rowNo: bigint('row_no', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    // HMAC-SHA-256 of the value under the group's key: privacy-mode checks read it before the group's
    // in-memory table is built (src/hub/privacy-digests.ts). Null until filled for rows from before.
    keyedDigest: bytea('keyed_digest'),
  },
  (t) => [
    unique('hub_indicators_alert_value_unique').on(t.alertId, t.type, t.value),
    index('hub_indicators_keyed_idx').on(t.keyedDigest).where(sql`${t.keyedDigest} IS NOT NULL`),
    index('hub_indicators_undigested_idx').on(t.alertId).where(sql`${t.keyedDigest} IS NULL`),
    uniqueIndex('hub_indicators_row_no_idx').on(t.rowNo),
    index('hub_indicators_lookup_idx').on(t.type, t.value),
    index('hub_indicators_hash_idx').on(t.valueHash),
  ],
);

// Sightings ("we saw it, we blocked 14 transfers") and false-positive reports, one table: both are
// feedback from a member organisation about one alert (optionally one of its indicators).
export const hubReports = pgTable(
  'hub_reports',
  {
    id: uuid('id').primaryKey(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => hubAlerts.id, { onDelete: 'cascade' }),
    // Feedback outlives an indicator the publisher later removes.
    indicatorId: uuid('indicator_id').references(() => hubIndicators.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => hubOrgs.id),
    reportedBy: uuid('reported_by').notNull(),
    count: integer('count').notNull(),
    note: text('note').notNull(),
    observedAt: ts('observed_at').notNull(),
    createdAt: ts('created_at').notNull(),
    // The first TAXII date of the feedback's objects (migration 0038).
    taxiiUs: bigint('taxii_us', { mode: 'number' }),
  },
  (t) => [
    check('hub_reports_kind_check', sql`${t.kind} IN ('sighting', 'false_positive')`),
    check('hub_reports_count_check', sql`${t.count} >= 1`),
    index('hub_reports_alert_idx').on(t.alertId),
    index('hub_reports_taxii_idx').on(t.taxiiUs),
  ],
);

/** The last TAXII date handed out in each collection, to kept objects or alerts (migration 0038). */
export const hubTaxiiMarks = pgTable('hub_taxii_marks', {
  groupId: uuid('group_id')
    .primaryKey()
    .references(() => hubGroups.id, { onDelete: 'cascade' }),
  lastUs: bigint('last_us', { mode: 'number' }).notNull(),
});

// Subscribers' endpoints: each event the owner may read is POSTed there, signed with the secret
// (HMAC-SHA-256). The secret has to be kept to sign, so it is stored as given out.
export const hubWebhooks = pgTable(
  'hub_webhooks',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('hub_webhooks_user_idx').on(t.userId)],
);

// STIX objects as clients pushed them (migration 0016, src/stix/object-store.ts): every version of
// every object of a collection (sharing group), TAXII paging keyed on (group, date added, id).
export const hubStixObjects = pgTable(
  'hub_stix_objects',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => hubGroups.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    version: text('version').notNull(),
    type: text('type').notNull(),
    specVersion: text('spec_version').notNull(),
    created: ts('created'),
    modified: ts('modified'),
    // json, not jsonb: the object's text is kept as sent, key order included.
    object: json('object').notNull(),
    tlp: text('tlp').notNull(),
    ownerOrgId: uuid('owner_org_id')
      .notNull()
      .references(() => hubOrgs.id),
    addedBy: uuid('added_by').notNull(),
    dateAddedUs: bigint('date_added_us', { mode: 'number' }).notNull(),
    alertId: uuid('alert_id').references(() => hubAlerts.id, { onDelete: 'set null' }),
    // A newer version of the object is in the collection (migration 0033): TAXII pages look for the
    // last version a reader may see only on these rows.
    superseded: boolean('superseded').notNull().default(false),
  },
  (t) => [
    primaryKey({ name: 'hub_stix_objects_pk', columns: [t.groupId, t.id, t.version] }),
    check('hub_stix_objects_tlp_check', sql`${t.tlp} IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')`),
    uniqueIndex('hub_stix_objects_added_idx').on(t.groupId, t.dateAddedUs, t.id),
    index('hub_stix_objects_alert_idx').on(t.alertId).where(sql`${t.alertId} IS NOT NULL`),
    index('hub_stix_objects_type_idx').on(t.groupId, t.type, t.dateAddedUs, t.id),
  ],
);

/**
 * The TAXII date of each object that recurs across a collection's alerts (a TLP marking, an identity,
 * an extension definition), taken by the write that first brought it (migration 0040).
 */
export const hubTaxiiShared = pgTable(
  'hub_taxii_shared',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => hubGroups.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    us: bigint('us', { mode: 'number' }).notNull(),
    byId: uuid('by_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.key] }), index('hub_taxii_shared_us_idx').on(t.groupId, t.us)],
);
