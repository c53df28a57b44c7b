// Organisations of other nodes (publishers of shared alerts, reporters of feedback): never one of
// ours, never claimed by two nodes; stored in the transaction of the message that names them.
import { PeerProtocolError } from '../../federation/federation-errors.ts';
import type { Db } from '../../store/database.ts';
import { hubGroupMembers, hubOrgs, hubRemoteOrgs } from '../../store/schema/index.ts';
import type { OrgKind } from '../hub-types.ts';
import type { Org } from '../membership.ts';
import type { OrgInfo, SharingContext } from './sharing-types.ts';

export type RemoteOrg = { info: OrgInfo; home: string; groupId: string; known: boolean };

/** An organisation of another node: never one of ours, never claimed by two nodes. */
export function checkRemoteOrg(ctx: SharingContext, info: OrgInfo, home: string, groupId: string): RemoteOrg {
  if (!ctx.membership.findGroup(groupId))
    throw new PeerProtocolError(`This node has no sharing group ${groupId}.`);
  const stored = ctx.homeOf.get(info.id);
  const known = ctx.membership.findOrg(info.id) !== null;
  if (known && stored === undefined)
    throw new PeerProtocolError(`Organisation ${info.id} is a member of this node, not of ${home}.`);
  if (stored !== undefined && stored !== home)
    throw new PeerProtocolError(`Organisation ${info.id} belongs to ${stored}, not ${home}.`);
  return { info, home, groupId, known };
}

/** Stores the organisation (and its group membership) in the transaction; answers the after-commit step. */
export async function storeRemoteOrg(
  ctx: SharingContext,
  tx: Db,
  org: RemoteOrg,
  now: Date,
): Promise<() => void> {
  const { membership } = ctx;
  let created: Org | null = null;
  if (!org.known) {
    // Names are unique per node: an organisation of another node is suffixed with its node.
    let name = `${org.info.name} (${org.home})`;
    if (membership.findOrgByName(name)) name = `${name} ${org.info.id.slice(-6)}`;
    created = {
      id: org.info.id,
      name,
      kind: org.info.kind as OrgKind,
      country: org.info.country,
      createdAt: now,
    };
    await tx.insert(hubOrgs).values(created);
    await tx.insert(hubRemoteOrgs).values({ orgId: created.id, homeState: org.home, createdAt: now });
  }
  await tx
    .insert(hubGroupMembers)
    .values({ groupId: org.groupId, orgId: org.info.id, createdAt: now })
    .onConflictDoNothing();
  return () => {
    if (created) ctx.homeOf.set(created.id, org.home);
    membership.adoptRemoteOrg(created ?? membership.findOrg(org.info.id)!, org.groupId);
  };
}
