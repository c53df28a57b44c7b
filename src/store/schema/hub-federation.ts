// Hub alerts between nodes (migration 0006): the nodes that share a sharing group, one of which may be
// the regional hub that receives and redistributes, and the organisations that live on another node.
import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { hubGroups, hubOrgs } from './hub.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const hubGroupNodes = pgTable(
  'hub_group_nodes',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => hubGroups.id, { onDelete: 'cascade' }),
    state: text('state').notNull(),
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'hub_group_nodes_pk', columns: [t.groupId, t.state] }),
    check('hub_group_nodes_role_check', sql`${t.role} IN ('hub', 'member')`),
  ],
);

export const hubRemoteOrgs = pgTable('hub_remote_orgs', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => hubOrgs.id, { onDelete: 'cascade' }),
  homeState: text('home_state').notNull(),
  createdAt: ts('created_at').notNull(),
});
