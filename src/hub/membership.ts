// Member organisations, their users and their sharing groups. Read on every check, so they are kept
// in memory (members/member-memory.ts: loaded at start, changed after each commit); the database stays
// the source of truth. The changes are one use case per file in members/, assembled here.
import { eq } from 'drizzle-orm';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { hubOrgMembers } from '../store/schema/index.ts';
import { addGroupMember } from './members/add-group-member.ts';
import { addMember } from './members/add-member.ts';
import { createGroup } from './members/create-group.ts';
import { createOrg } from './members/create-org.ts';
import { createMemberMemory, type MemberContext, publicGroup } from './members/member-memory.ts';
import type { Org } from './members/member-types.ts';

export type { MemberContext } from './members/member-memory.ts';
export type { Group, Org } from './members/member-types.ts';

export async function createMembership(database: Database, clock: Clock) {
  const { db } = database;
  const memory = createMemberMemory();
  await memory.load(db);
  const ctx: MemberContext = { db, clock, memory };
  const { orgs, groups } = memory;

  return {
    viewerFor: memory.viewerFor,
    reload: () => memory.load(db),
    /** After the commit that stored an organisation of another node (a publisher of a shared alert). */
    adoptRemoteOrg(remote: Org, groupId: string): void {
      orgs.set(remote.id, remote);
      memory.joinGroup(groupId, remote.id);
    },
    org: memory.org,
    findOrg: (id: string) => orgs.get(id) ?? null,
    findOrgByName: (name: string) => [...orgs.values()].find((o) => o.name === name) ?? null,
    findGroupByName: (name: string) => {
      const g = [...groups.values()].find((x) => x.name === name);
      return g ? publicGroup(g) : null;
    },
    group: (id: string) => publicGroup(memory.group(id)),
    findGroup: (id: string) => {
      const g = groups.get(id);
      return g ? publicGroup(g) : null;
    },
    /** The privacy-mode key of a group; only for its members (the caller checks). */
    groupKey: (id: string) => memory.group(id).hashKey,
    listOrgs: () => [...orgs.values()],
    listGroups: () => [...groups.values()].map(publicGroup),
    createOrg: (actor: string, input: { name: string; kind: string; country: string }) =>
      createOrg(ctx, actor, input),
    /** Puts a user into an organisation; a user belongs to at most one. */
    addMember: (actor: string, orgId: string, username: string) => addMember(ctx, actor, orgId, username),
    /** A sharing group; a group shared with other nodes has the same id on each of them. */
    createGroup: (actor: string, input: { name: string; kind: string; id?: string }) =>
      createGroup(ctx, actor, input),
    addGroupMember: (actor: string, groupId: string, orgId: string) =>
      addGroupMember(ctx, actor, groupId, orgId),
    async orgOfUser(userId: string): Promise<string | null> {
      const [row] = await db.select().from(hubOrgMembers).where(eq(hubOrgMembers.userId, userId));
      return row?.orgId ?? null;
    },
  };
}

export type Membership = Awaited<ReturnType<typeof createMembership>>;
