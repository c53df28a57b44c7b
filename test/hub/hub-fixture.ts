// A hub with a known cast on top of the demo seed, shared by the hub, STIX and TAXII tests:
//   bank-a and telecom-b: in the national group; cert-c: in national and ASEAN (the demo CERT);
//   outsider-d: a hub member in no group with the others; lonely: a user in no organisation.
import type { Role } from '../../src/domain/codes.ts';
import type { Viewer } from '../../src/hub/hub-types.ts';
import { DEMO_HUB_GROUPS } from '../../src/hub/seed-hub.ts';
import type { TestNode } from '../helpers/test-node.ts';

export const PASSWORD = 'hub-test-password-1';

export type Cast = {
  national: string;
  asean: string;
  orgs: { bank: string; telecom: string; cert: string; outsider: string };
  users: Record<'bank' | 'telecom' | 'cert' | 'outsider' | 'lonely', { id: string; username: string }>;
  viewer(who: keyof Cast['users']): Viewer;
  token(who: keyof Cast['users']): Promise<string>;
};

export async function castHub(node: TestNode): Promise<Cast> {
  const { hub, users } = node.ctx;
  const m = hub.membership;
  const national = m.findGroupByName(DEMO_HUB_GROUPS[0].name)!.id;
  const asean = m.findGroupByName(DEMO_HUB_GROUPS[1].name)!.id;
  const bank = m.findOrgByName('Demo Bank (DEMO)')!.id;
  const telecom = m.findOrgByName('Demo Telecom (DEMO)')!.id;
  const cert = m.findOrgByName('National CERT (DEMO)')!.id;
  const outsider = (await m.createOrg('test', { name: 'Outsider Platform', kind: 'platform', country: 'TH' }))
    .id;
  const made: Record<string, { id: string; username: string; roles: Role[] }> = {};
  const plan: [string, Role, string | null][] = [
    ['bank', 'PRIVATE_LIAISON', bank],
    ['telecom', 'PRIVATE_LIAISON', telecom],
    ['cert', 'CERT_ANALYST', cert],
    ['outsider', 'PRIVATE_LIAISON', outsider],
    ['lonely', 'PRIVATE_LIAISON', null],
  ];
  for (const [who, role, org] of plan) {
    const username = `hub-${who}`;
    const { user } = await users.addUser('test', { username, password: PASSWORD, roles: [role] });
    if (org) await m.addMember('test', org, username);
    made[who] = { id: user.id, username, roles: [role] };
  }
  return {
    national,
    asean,
    orgs: { bank, telecom, cert, outsider },
    users: made as Cast['users'],
    viewer: (who) => m.viewerFor({ userId: made[who]!.id, roles: made[who]!.roles }),
    token: async (who) =>
      (
        await node.ctx.auth.createToken(made[who]!.id, {
          name: 'hub-test',
          scopes: made[who]!.roles,
          ttlDays: 1,
        })
      ).token,
  };
}
