// Which nodes share a group, and which one is its hub (or none): loaded at start, set by an
// administrator in one transaction with its audit entry.
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { type FieldProblem, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Db } from '../../store/database.ts';
import { hubGroupNodes } from '../../store/schema/index.ts';
import type { GroupNodes } from '../group-routing.ts';
import { PARTY } from './message-checks.ts';
import type { SharingContext } from './sharing-types.ts';

export async function loadGroupNodes(db: Db): Promise<Map<string, GroupNodes>> {
  const groupNodes = new Map<string, GroupNodes>();
  for (const row of await db.select().from(hubGroupNodes)) {
    const g = groupNodes.get(row.groupId) ?? { hub: null, nodes: [] };
    groupNodes.set(row.groupId, {
      hub: row.role === 'hub' ? row.state : g.hub,
      nodes: [...g.nodes, row.state].sort(),
    });
  }
  return groupNodes;
}

export function nodesView(ctx: SharingContext, groupId: string) {
  const g = ctx.groupNodes.get(groupId);
  return { groupId, hub: g?.hub ?? null, nodes: [...(g?.nodes ?? [])] };
}

/** An administrator names the nodes that share a group, and which one is the hub (or none). */
export async function setGroupNodes(
  ctx: SharingContext,
  actor: string,
  groupId: string,
  input: { hub: string | null; nodes: string[] },
) {
  const { self } = ctx;
  const group = ctx.membership.findGroup(groupId);
  if (!group) throw new NotFoundError('Sharing group', groupId);
  const problems: FieldProblem[] = [];
  const nodes = [...new Set(input.nodes)].sort();
  nodes.forEach((n, i) => {
    if (!PARTY.test(n)) problems.push({ field: `nodes/${i}`, message: 'must be a Party code like SG' });
  });
  if (nodes.length > 0 && !nodes.includes(self))
    problems.push({ field: 'nodes', message: `must include this node (${self})` });
  if (input.hub !== null && !nodes.includes(input.hub))
    problems.push({ field: 'hub', message: 'must be one of the nodes' });
  if (problems.length) throw new ValidationError(problems);
  const now = ctx.clock.now();
  await ctx.database.db.transaction(async (tx) => {
    await tx.delete(hubGroupNodes).where(eq(hubGroupNodes.groupId, groupId));
    if (nodes.length)
      await tx.insert(hubGroupNodes).values(
        nodes.map((state) => ({
          groupId,
          state,
          role: state === input.hub ? 'hub' : 'member',
          createdAt: now,
        })),
      );
    await appendAudit(
      tx,
      {
        actor,
        action: 'hub.group.nodes',
        objectType: 'hub_group',
        objectId: groupId,
        payload: { hub: input.hub, nodes },
      },
      now,
    );
  });
  if (nodes.length) ctx.groupNodes.set(groupId, { hub: input.hub, nodes });
  else ctx.groupNodes.delete(groupId);
  return nodesView(ctx, groupId);
}
