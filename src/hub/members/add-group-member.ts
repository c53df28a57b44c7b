// Add an organisation to a sharing group (adding again is a no-op).
import { appendAudit } from '../../audit/audit-log.ts';
import { hubGroupMembers } from '../../store/schema/index.ts';
import type { MemberContext } from './member-memory.ts';

export async function addGroupMember(
  ctx: MemberContext,
  actor: string,
  groupId: string,
  orgId: string,
): Promise<void> {
  const g = ctx.memory.group(groupId);
  ctx.memory.org(orgId);
  if (g.memberOrgIds.includes(orgId)) return;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
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
  ctx.memory.joinGroup(groupId, orgId);
}
