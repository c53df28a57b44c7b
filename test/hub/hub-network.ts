// Hub nodes linked by federation, in one test process (built on test/federation/federation-network.ts):
// each node has one bank in a regional sharing group shared by all of them (the same group id on each,
// one node its hub), and a national group of its own that stays on the node.
import type { Role } from '../../src/domain/codes.ts';
import type { Viewer } from '../../src/hub/hub-types.ts';
import { linkNodes, type NetNode, shiftedClock, startNetNode } from '../federation/federation-network.ts';
import { client } from '../helpers/http-client.ts';

export type HubMember = {
  orgId: string;
  userId: string;
  viewer(): Viewer;
  api: ReturnType<typeof client>;
};

export type HubNode = {
  node: NetNode;
  national: string;
  /** A bank in the regional group (and the national one). */
  bank: HubMember;
  /** A telecom in the national group only: a member of the hub, outside the regional group. */
  telecom: HubMember;
};

async function member(
  node: NetNode,
  name: string,
  kind: 'bank' | 'telecom',
  groups: string[],
): Promise<HubMember> {
  const m = node.ctx.hub.membership;
  const org = await m.createOrg('test', { name: `${name} ${node.state}`, kind, country: node.state });
  const roles: Role[] = ['PRIVATE_LIAISON'];
  const username = `${kind}-${node.state.toLowerCase()}`;
  const { user } = await node.ctx.users.addUser('test', { username, password: 'hub-network-pw-1', roles });
  await m.addMember('test', org.id, username);
  for (const g of groups) await m.addGroupMember('test', g, org.id);
  const { token } = await node.ctx.auth.createToken(user.id, { name: 'test', scopes: roles, ttlDays: 1 });
  const api = client(node.url);
  api.setToken(token);
  return { orgId: org.id, userId: user.id, viewer: () => m.viewerFor({ userId: user.id, roles }), api };
}

/** Starts the nodes, links them, and shares one regional group among them with `hub` as its hub. */
export async function startHubNetwork(
  states: string[],
  hub: string | null,
): Promise<{ nodes: Record<string, HubNode>; regional: string; destroy(): Promise<void> }> {
  // One clock for all, kept across restarts: a node restarted on a fresh clock would see alerts
  // published meanwhile as not yet valid.
  const clock = shiftedClock();
  const started = await Promise.all(states.map((state) => startNetNode({ state, clock })));
  await linkNodes(started);
  let regional = '';
  const nodes: Record<string, HubNode> = {};
  for (const node of started) {
    const m = node.ctx.hub.membership;
    // The first node makes the regional group; the others create it with the same id.
    const group = await m.createGroup('test', {
      name: 'ASEAN regional (test)',
      kind: 'regional',
      ...(regional ? { id: regional } : {}),
    });
    regional = group.id;
    await node.ctx.hub.federation.setGroupNodes('test', regional, { hub, nodes: states });
    const national = (await m.createGroup('test', { name: `National ${node.state}`, kind: 'national' })).id;
    nodes[node.state] = {
      node,
      national,
      bank: await member(node, 'Bank', 'bank', [regional, national]),
      telecom: await member(node, 'Telecom', 'telecom', [national]),
    };
  }
  return {
    nodes,
    regional,
    destroy: async () => {
      await Promise.all(Object.values(nodes).map((n) => n.node.destroy()));
    },
  };
}
