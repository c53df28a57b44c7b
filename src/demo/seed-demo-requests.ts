// A handful of example requests for the demo, in different states and both ways between Viet Nam and
// France: made through the request service as the demo officers would (each step checked, audited and,
// once sent, carried by federation to the other node), once; a later start finds the mark and skips.
import { eq } from 'drizzle-orm';
import type { NodeContext } from '../context.ts';
import type { RequestActor } from '../requests/request-service.ts';
import { seedMarks } from '../store/schema/index.ts';

const MARK = 'demo-requests-v1';

const duty = (state: string): RequestActor => ({ id: `system:demo-seed:${state}`, roles: ['DUTY_OFFICER'] });
const approver = (state: string): RequestActor => ({
  id: `system:demo-seed:${state}:approver`,
  roles: ['APPROVER'],
});

/** What every example shares: the two States, the case and the offence. */
function common(from: string, to: string, caseReference: string, requestingAuthority: string) {
  return {
    caseReference,
    requestingState: from,
    requestedState: to,
    requestingAuthority,
    offences: [{ code: 'ICT_THEFT_FRAUD', statute: 'Penal Code (demo)', maxPenaltyMonths: 120 }],
    confidentialityRequired: true,
  };
}

function preservation(from: string, to: string, caseReference: string) {
  const authority = from === 'VN' ? 'Ministry of Public Security, 24/7 point' : 'OFAC, point de contact 24/7';
  return {
    type: 'PRESERVATION',
    ...common(from, to, caseReference, authority),
    factsSummary: 'DEMO: an investment-scam website took payments from victims in both countries.',
    urgency: 'URGENT',
    identifiers: [{ kind: 'EMAIL', value: `operator-${caseReference.toLowerCase()}@scam.example` }],
    dataCategories: ['SUBSCRIBER', 'TRAFFIC'],
    relationToOffence: 'The account received the victims’ payment confirmations.',
    custodianOrLocation: 'Mail provider (demo)',
    necessity: 'The provider deletes logs after 30 days.',
    intentToFollowUp: true,
  };
}

function mutualAssistance(from: string, to: string, caseReference: string) {
  return {
    type: 'MLA_GENERAL',
    ...common(
      from,
      to,
      caseReference,
      from === 'VN' ? 'Supreme People’s Procuracy' : 'Ministère de la Justice (BEPI)',
    ),
    factsSummary: 'DEMO: proceeds of an online fraud were moved through accounts abroad.',
    urgency: 'ROUTINE',
    proceeding: {
      subject: 'Online fraud (demo)',
      nature: 'criminal investigation',
      conductingAuthority: 'Demo court',
    },
    purpose: 'Hear a witness about the transfers.',
    assistanceSought: ['TAKING_EVIDENCE'],
  };
}

/** Creates one request on `ctx` and takes it through `steps` (submit, approve, send…). */
async function walk(ctx: NodeContext, input: Record<string, unknown>, steps: string[]): Promise<void> {
  const state = ctx.config.nodeState;
  const { request } = (await ctx.requests.create(duty(state), input)) as { request: { id: string } };
  for (const action of steps)
    await ctx.requests.transition(action === 'approve' ? approver(state) : duty(state), request.id, {
      action,
    });
}

/** Once per network, on the VN and FR nodes of a running demo (their senders deliver what is sent). */
export async function seedDemoRequests(vn: NodeContext, fr: NodeContext): Promise<{ seeded: boolean }> {
  const [mark] = await vn.database.db.select().from(seedMarks).where(eq(seedMarks.name, MARK));
  if (mark) return { seeded: false };
  await walk(vn, preservation('VN', 'FR', 'DEMO-VN-001'), ['submit', 'approve', 'send']);
  await walk(vn, mutualAssistance('VN', 'FR', 'DEMO-VN-002'), ['submit']);
  await walk(vn, preservation('VN', 'FR', 'DEMO-VN-003'), []);
  await walk(fr, preservation('FR', 'VN', 'DEMO-FR-001'), ['submit', 'approve', 'send']);
  await walk(fr, mutualAssistance('FR', 'VN', 'DEMO-FR-002'), ['submit', 'approve']);
  await vn.database.db
    .insert(seedMarks)
    .values({ name: MARK, appliedAt: vn.clock.now() })
    .onConflictDoNothing();
  return { seeded: true };
}
