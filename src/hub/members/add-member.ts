// Put a user into an organisation; a user belongs to at most one (adding again is a no-op).
import { appendAudit } from '../../audit/audit-log.ts';
import { findUserByUsername } from '../../auth/user-store.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import { hubOrgMembers } from '../../store/schema/index.ts';
import type { MemberContext } from './member-memory.ts';

export async function addMember(
  ctx: MemberContext,
  actor: string,
  orgId: string,
  username: string,
): Promise<void> {
  ctx.memory.org(orgId);
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new NotFoundError('User', username);
  const current = ctx.memory.userOrg.get(user.id);
  if (current === orgId) return;
  if (current)
    throw new ConflictError(`User '${username}' belongs to another organisation already.`, 'ERR_HUB_MEMBER');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
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
  ctx.memory.userOrg.set(user.id, orgId);
}
