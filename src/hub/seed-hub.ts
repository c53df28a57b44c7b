// Demo members and alerts for the early-warning hub. Invented organisations and documentation-range
// values (RFC 5737 addresses, test IBANs): every name says DEMO. Idempotent like the rest of the seed.
import { eq } from 'drizzle-orm';
import { findUserByUsername } from '../auth/user-store.ts';
import type { NodeContext } from '../context.ts';
import type { Role } from '../domain/codes.ts';
import { seedMarks } from '../store/schema/index.ts';
import type { OrgKind } from './hub-types.ts';

const MARK = 'hub-demo-seed-v1';
const ACTOR = 'system:demo-seed';

export const DEMO_HUB_ORGS: { name: string; kind: OrgKind; country: string; members: string[] }[] = [
  { name: 'Demo Bank (DEMO)', kind: 'bank', country: 'VN', members: ['liaison'] },
  { name: 'Demo Telecom (DEMO)', kind: 'telecom', country: 'VN', members: [] },
  { name: 'National CERT (DEMO)', kind: 'cert', country: 'VN', members: ['cert'] },
  { name: 'Partner Bank Singapore (DEMO)', kind: 'bank', country: 'SG', members: [] },
];

export const DEMO_HUB_GROUPS = [
  {
    name: 'National early warning (DEMO)',
    kind: 'national',
    orgs: ['Demo Bank (DEMO)', 'Demo Telecom (DEMO)', 'National CERT (DEMO)'],
  },
  {
    name: 'ASEAN regional (DEMO)',
    kind: 'regional',
    orgs: ['National CERT (DEMO)', 'Partner Bank Singapore (DEMO)'],
  },
] as const;

export async function seedHub(ctx: NodeContext): Promise<{ seeded: boolean }> {
  const { db } = ctx.database;
  const [mark] = await db.select().from(seedMarks).where(eq(seedMarks.name, MARK));
  if (mark) return { seeded: false };
  const { membership, alerts } = ctx.hub;
  for (const o of DEMO_HUB_ORGS) {
    const org = membership.findOrgByName(o.name) ?? (await membership.createOrg(ACTOR, o));
    for (const username of o.members) {
      if (await findUserByUsername(db, username)) await membership.addMember(ACTOR, org.id, username);
    }
  }
  for (const g of DEMO_HUB_GROUPS) {
    const group = membership.findGroupByName(g.name) ?? (await membership.createGroup(ACTOR, g));
    for (const name of g.orgs)
      await membership.addGroupMember(ACTOR, group.id, membership.findOrgByName(name)!.id);
  }
  const national = membership.findGroupByName(DEMO_HUB_GROUPS[0].name)!;
  const asean = membership.findGroupByName(DEMO_HUB_GROUPS[1].name)!;
  const cert = await findUserByUsername(db, 'cert');
  const liaison = await findUserByUsername(db, 'liaison');
  if (cert) {
    const viewer = membership.viewerFor({ userId: cert.id, roles: cert.roles as Role[] });
    await alerts.publish(viewer, {
      kind: 'scam_campaign',
      title: 'DEMO: fake bank OTP campaign by SMS',
      description: 'DEMO DATA. SMS sending victims to a look-alike bank login; money goes to a mule IBAN.',
      confidence: 80,
      tlp: 'GREEN',
      groupId: national.id,
      indicators: [
        { type: 'phone', value: '+84 91 234 5678' },
        { type: 'domain', value: 'vcb-secure-login.com.vn' },
        { type: 'url', value: 'https://vcb-secure-login.com.vn/otp' },
        { type: 'iban', value: 'GB82 WEST 1234 5698 7654 32' },
      ],
    });
    await alerts.publish(viewer, {
      kind: 'ransomware',
      title: 'DEMO: ransomware command-and-control servers',
      description: 'DEMO DATA. Addresses from the documentation ranges.',
      confidence: 70,
      tlp: 'AMBER',
      groupId: asean.id,
      indicators: [
        { type: 'ipv4', value: '198.51.100.23' },
        { type: 'cidr', value: '203.0.113.0/24' },
        { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      ],
    });
  }
  if (liaison) {
    const viewer = membership.viewerFor({ userId: liaison.id, roles: liaison.roles as Role[] });
    await alerts.publish(viewer, {
      kind: 'crypto_fraud',
      title: 'DEMO: investment-scam wallets',
      description: 'DEMO DATA. Wallets that received funds from victims of a fake trading platform.',
      confidence: 60,
      tlp: 'AMBER',
      groupId: national.id,
      indicators: [
        { type: 'btc_wallet', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
        { type: 'eth_wallet', value: '0x52908400098527886E0F7030069857D2E4169EE7' },
        { type: 'trx_wallet', value: 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW' },
      ],
    });
  }
  await db.insert(seedMarks).values({ name: MARK, appliedAt: ctx.clock.now() }).onConflictDoNothing();
  return { seeded: true };
}
