// Member organisations, their users and their sharing groups. Read on every check, so they are kept
// in memory (loaded at start, changed after each commit); the database stays the source of truth.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/principal.ts';
import { findUserByUsername } from '../auth/user-store.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Database } from '../store/database.ts';
import {
  HUB_GROUP_KINDS,
  HUB_ORG_KINDS,
  hubGroupMembers,
  hubGroups,
  hubOrgMembers,
  hubOrgs,
} from '../store/schema/index.ts';
import type { GroupKind, OrgKind, Viewer } from './hub-types.ts';

export type Org = { id: string; name: string; kind: OrgKind; country: string; createdAt: Date };
export type Group = { id: string; name: string; kind: GroupKind; memberOrgIds: string[] };
type GroupRecord = Group & { hashKey: Buffer };

const COUNTRY = /^[A-Z]{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function createMembership(database: Database, clock: Clock) {
  const { db } = database;
  const orgs = new Map<string, Org>();
  const groups = new Map<string, GroupRecord>();
  const userOrg = new Map<string, string>();
  const orgGroups = new Map<string, Set<string>>();

  const joinGroup = (groupId: string, orgId: string) => {
    const set = orgGroups.get(orgId) ?? new Set<string>();
    set.add(groupId);
    orgGroups.set(orgId, set);
    const group = groups.get(groupId);
    if (group && !group.memberOrgIds.includes(orgId)) group.memberOrgIds.push(orgId);
  };

  /** Reads organisations, groups and members from the database (at start, and when another replica changed them). */
  async function load(): Promise<void> {
    const [orgRows, groupRows, groupMembers, orgMembers] = await Promise.all([
      db.select().from(hubOrgs),
      db.select().from(hubGroups),
      db.select().from(hubGroupMembers),
      db.select().from(hubOrgMembers),
    ]);
    orgs.clear();
    groups.clear();
    userOrg.clear();
    orgGroups.clear();
    for (const o of orgRows) {
      orgs.set(o.id, {
        id: o.id,
        name: o.name,
        kind: o.kind as OrgKind,
        country: o.country,
        createdAt: o.createdAt,
      });
    }
    for (const g of groupRows) {
      groups.set(g.id, {
        id: g.id,
        name: g.name,
        kind: g.kind as GroupKind,
        memberOrgIds: [],
        hashKey: Buffer.from(g.hashKey, 'hex'),
      });
    }
    for (const m of groupMembers) joinGroup(m.groupId, m.orgId);
    for (const m of orgMembers) userOrg.set(m.userId, m.orgId);
  }
  await load();

  function viewerFor(principal: Pick<Principal, 'userId' | 'roles'>): Viewer {
    const orgId = userOrg.get(principal.userId) ?? null;
    return {
      userId: principal.userId,
      roles: principal.roles,
      orgId,
      groupIds: orgId ? [...(orgGroups.get(orgId) ?? [])] : [],
    };
  }

  function org(id: string): Org {
    const found = orgs.get(id);
    if (!found) throw new NotFoundError('Organisation', id);
    return found;
  }

  function group(id: string): GroupRecord {
    const found = groups.get(id);
    if (!found) throw new NotFoundError('Sharing group', id);
    return found;
  }

  async function createOrg(
    actor: string,
    input: { name: string; kind: string; country: string },
  ): Promise<Org> {
    const problems = [];
    if (!(HUB_ORG_KINDS as readonly string[]).includes(input.kind))
      problems.push({ field: 'kind', message: `use one of ${HUB_ORG_KINDS.join(', ')}` });
    if (!COUNTRY.test(input.country))
      problems.push({ field: 'country', message: 'use an ISO 3166-1 alpha-2 code' });
    if (!input.name.trim()) problems.push({ field: 'name', message: 'is empty' });
    if (problems.length) throw new ValidationError(problems);
    if ([...orgs.values()].some((o) => o.name === input.name))
      throw new ConflictError(`An organisation named '${input.name}' exists already.`);
    const now = clock.now();
    const created: Org = {
      id: uuidv7(now.getTime()),
      name: input.name,
      kind: input.kind as OrgKind,
      country: input.country,
      createdAt: now,
    };
    await db.transaction(async (tx) => {
      await tx.insert(hubOrgs).values(created);
      await appendAudit(
        tx,
        {
          actor,
          action: 'hub.org.create',
          objectType: 'hub_org',
          objectId: created.id,
          payload: { name: created.name, kind: created.kind, country: created.country },
        },
        now,
      );
    });
    orgs.set(created.id, created);
    return created;
  }

  /** Puts a user into an organisation; a user belongs to at most one. */
  async function addMember(actor: string, orgId: string, username: string): Promise<void> {
    org(orgId);
    const user = await findUserByUsername(db, username);
    if (!user) throw new NotFoundError('User', username);
    const current = userOrg.get(user.id);
    if (current === orgId) return;
    if (current)
      throw new ConflictError(
        `User '${username}' belongs to another organisation already.`,
        'ERR_HUB_MEMBER',
      );
    const now = clock.now();
    await db.transaction(async (tx) => {
      await tx.insert(hubOrgMembers).values({ userId: user.id, orgId, createdAt: now });
      await appendAudit(
        tx,
        {
          actor,
          action: 'hub.org.member.add',
          objectType: 'hub_org',
          objectId: orgId,
          payload: { userId: user.id },
        },
        now,
      );
    });
    userOrg.set(user.id, orgId);
  }

  /**
   * A sharing group. A group shared with other nodes has the same id on each of them: the first node
   * makes it, the others create it with that `id`.
   */
  async function createGroup(
    actor: string,
    input: { name: string; kind: string; id?: string },
  ): Promise<Group> {
    if (!(HUB_GROUP_KINDS as readonly string[]).includes(input.kind))
      throw new ValidationError([{ field: 'kind', message: `use one of ${HUB_GROUP_KINDS.join(', ')}` }]);
    if (!input.name.trim()) throw new ValidationError([{ field: 'name', message: 'is empty' }]);
    if (input.id !== undefined && !UUID.test(input.id))
      throw new ValidationError([{ field: 'id', message: 'must be a UUID in lower case' }]);
    if ([...groups.values()].some((g) => g.name === input.name))
      throw new ConflictError(`A sharing group named '${input.name}' exists already.`);
    if (input.id !== undefined && groups.has(input.id))
      throw new ConflictError(`A sharing group with id ${input.id} exists already.`);
    const now = clock.now();
    const hashKey = randomBytes(32);
    const created: GroupRecord = {
      id: input.id ?? uuidv7(now.getTime()),
      name: input.name,
      kind: input.kind as GroupKind,
      memberOrgIds: [],
      hashKey,
    };
    await db.transaction(async (tx) => {
      await tx.insert(hubGroups).values({
        id: created.id,
        name: created.name,
        kind: created.kind,
        hashKey: hashKey.toString('hex'),
        createdAt: now,
      });
      await appendAudit(
        tx,
        {
          actor,
          action: 'hub.group.create',
          objectType: 'hub_group',
          objectId: created.id,
          payload: { name: created.name, kind: created.kind, id: created.id },
        },
        now,
      );
    });
    groups.set(created.id, created);
    return publicGroup(created);
  }

  async function addGroupMember(actor: string, groupId: string, orgId: string): Promise<void> {
    const g = group(groupId);
    org(orgId);
    if (g.memberOrgIds.includes(orgId)) return;
    const now = clock.now();
    await db.transaction(async (tx) => {
      await tx.insert(hubGroupMembers).values({ groupId, orgId, createdAt: now });
      await appendAudit(
        tx,
        {
          actor,
          action: 'hub.group.member.add',
          objectType: 'hub_group',
          objectId: groupId,
          payload: { orgId },
        },
        now,
      );
    });
    joinGroup(groupId, orgId);
  }

  async function orgOfUser(userId: string): Promise<string | null> {
    const [row] = await db.select().from(hubOrgMembers).where(eq(hubOrgMembers.userId, userId));
    return row?.orgId ?? null;
  }

  /** After the commit that stored an organisation of another node (a publisher of a shared alert). */
  function adoptRemoteOrg(remote: Org, groupId: string): void {
    orgs.set(remote.id, remote);
    joinGroup(groupId, remote.id);
  }

  return {
    viewerFor,
    reload: load,
    adoptRemoteOrg,
    org,
    findOrg: (id: string) => orgs.get(id) ?? null,
    findOrgByName: (name: string) => [...orgs.values()].find((o) => o.name === name) ?? null,
    findGroupByName: (name: string) => {
      const g = [...groups.values()].find((x) => x.name === name);
      return g ? publicGroup(g) : null;
    },
    group: (id: string) => publicGroup(group(id)),
    findGroup: (id: string) => {
      const g = groups.get(id);
      return g ? publicGroup(g) : null;
    },
    /** The privacy-mode key of a group; only for its members (the caller checks). */
    groupKey: (id: string) => group(id).hashKey,
    listOrgs: () => [...orgs.values()],
    listGroups: () => [...groups.values()].map(publicGroup),
    createOrg,
    addMember,
    createGroup,
    addGroupMember,
    orgOfUser,
  };
}

function publicGroup(g: GroupRecord): Group {
  return { id: g.id, name: g.name, kind: g.kind, memberOrgIds: [...g.memberOrgIds] };
}

export type Membership = Awaited<ReturnType<typeof createMembership>>;
