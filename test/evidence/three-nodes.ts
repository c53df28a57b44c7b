// Three real nodes for onward transfer (art. 36): the two nodes of two-nodes.ts (France executes Viet
// Nam's request) and Germany's, whose own stored-data request to Viet Nam is in execution there. Viet
// Nam's central authority is an officer of both cases, so it may pass France's package on to Germany
// once France consents. Used by the API test and the browser test of onward transfer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { evidenceConsents } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import { eventually, type Officer, officer, type TwoNodes, twoNodes } from './two-nodes.ts';

export type ThreeNodes = TwoNodes & {
  de: NetNode;
  vnCentral: Officer;
  deDuty: Officer;
  /** Germany's stored-data request to Viet Nam, in execution at Viet Nam's node. */
  germanRequest: string;
  /** Viet Nam asks France to consent to `toState`; France's lawyer grants; returns the consent id once VN has the grant. */
  consentOfFrance(packageId: string, toState?: string): Promise<string>;
};

/** The case reference of Germany's request, as the desk lists it. */
export const GERMAN_CASE = 'DE-EVD-0001';

export async function threeNodes(): Promise<ThreeNodes> {
  const two = await twoNodes();
  const de = await startNetNode({ state: 'DE', env: { HANOI247_EVIDENCE_DIR: join(two.dir, 'de') } });
  try {
    await linkNodes([two.vn, two.fr, de]);
    const vnCentral = await officer(two.vn, 'vn-central', ['CENTRAL_AUTHORITY']);
    const deDuty = await officer(de, 'de-duty', ['DUTY_OFFICER']);
    const deApprover = await officer(de, 'de-approver', ['APPROVER']);
    // Viet Nam's central authority handles its request to France too (an officer of both cases).
    const assign = await two.officers.vnDuty.api.post(`/api/v1/requests/${two.requestId}/transitions`, {
      action: 'assign',
      assignee: 'vn-central',
    });
    assert.equal(assign.status, 200, JSON.stringify(assign.body));
    // Germany's stored-data request to Viet Nam, in execution there.
    const created = await deDuty.api.post('/api/v1/requests', {
      type: 'MLA_STORED_DATA',
      ...buildRequest('MLA_STORED_DATA', {
        requestingState: 'DE',
        requestedState: 'VN',
        caseReference: GERMAN_CASE,
      }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const germanRequest = created.body.request.id as string;
    for (const [who, action] of [
      [deDuty, 'submit'],
      [deApprover, 'approve'],
      [deDuty, 'send'],
    ] as const) {
      const reply = await who.api.post(`/api/v1/requests/${germanRequest}/transitions`, { action });
      assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
    }
    await eventually('the German request reaches VN', () =>
      two.vn.ctx.requests.get(germanRequest).catch(() => null),
    );
    for (const action of ['acknowledge', 'start_execution']) {
      const reply = await vnCentral.api.post(`/api/v1/requests/${germanRequest}/transitions`, { action });
      assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
    }

    async function consentOfFrance(packageId: string, toState = 'DE'): Promise<string> {
      const asked = await two.officers.vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/consents`, {
        toState,
        purpose: 'The German investigation of the same network',
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      const consentId = asked.body.id as string;
      await eventually('the consent request reaches FR', async () => {
        const [row] = await two.fr.database.db
          .select()
          .from(evidenceConsents)
          .where(eq(evidenceConsents.id, consentId));
        return row;
      });
      const granted = await two.officers.frLawyer.api.post(`/api/v1/evidence/consents/${consentId}/answer`, {
        decision: 'GRANTED',
      });
      assert.equal(granted.status, 200, JSON.stringify(granted.body));
      await eventually('the grant reaches VN', async () => {
        const [row] = await two.vn.database.db
          .select()
          .from(evidenceConsents)
          .where(and(eq(evidenceConsents.id, consentId), eq(evidenceConsents.status, 'granted')));
        return row;
      });
      return consentId;
    }

    return {
      ...two,
      de,
      vnCentral,
      deDuty,
      germanRequest,
      consentOfFrance,
      async close() {
        await de.destroy();
        await two.close();
      },
    };
  } catch (error) {
    await de.destroy();
    await two.close();
    throw error;
  }
}
