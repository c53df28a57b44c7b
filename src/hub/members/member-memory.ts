// Member organisations, their users and their sharing groups, as held in memory: read on every check,
// loaded at start and changed after each commit; the database stays the source of truth.
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../shared/clock.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import { hubGroupMembers, hubGroups, hubOrgMembers, hubOrgs } from '../../store/schema/index.ts';
import type { GroupKind, OrgKind, Viewer } from '../hub-types.ts';
import type { Group, GroupRecord, Org } from './member-types.ts';

export function publicGroup(g: GroupRecord): Group {
  return { id: g.id, name: g.name, kind: g.kind, memberOrgIds: [...g.memberOrgIds] };
}

export function createMemberMemory() {
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

  /** Reads organisations, groups and members (at start, and when another replica changed them). */
  async function load(db: Db) {
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

  return { orgs, groups, userOrg, joinGroup, load, viewerFor, org, group };
}

export type MemberMemory = ReturnType<typeof createMemberMemory>;

/** What every membership use case takes. */
export type MemberContext = { db: Db; clock: Clock; memory: MemberMemory };
