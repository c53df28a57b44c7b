// Onward transfer (art. 36): Viet Nam received a package from France; handing it to Spain is blocked
// until France's consent is recorded. Consent is asked and answered over federation between the two
// real nodes; an answer from a State other than France, or a request from a State France did not
// deliver to, is refused; every step is in the chain of custody on both sides.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { verifyExport } from '../../src/evidence/offline-verify.ts';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { evidenceConsents } from '../../src/store/schema/index.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import { auditActions, eventually, type TwoNodes, twoNodes } from './two-nodes.ts';

let net: TwoNodes & { de: NetNode };

before(async () => {
  const two = await twoNodes();
  // A third node, Germany's, in everyone's directory: it may talk to Viet Nam, but not for France.
  const de = await startNetNode({ state: 'DE', env: { HANOI247_EVIDENCE_DIR: join(two.dir, 'de') } });
  await linkNodes([two.vn, two.fr, de]);
  net = { ...two, de };
});
after(async () => {
  await net?.de.destroy();
  await net?.close();
});

const handover = (packageId: string, body: Record<string, unknown>) =>
  net.officers.vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/handovers`, {
    kind: 'DELIVERY',
    recipient: 'Fiscalía General del Estado, Madrid',
    ...body,
  });

async function consentsOn(node: TwoNodes['vn'], packageId: string) {
  return node.database.db.select().from(evidenceConsents).where(eq(evidenceConsents.packageId, packageId));
}

test('a handover to a third State is blocked until the originating State consents over federation', async () => {
  const { vnDuty, frLawyer, frDuty, frOutsider } = net.officers;
  const packageId = await net.deliver();

  // Without consent: blocked, with a stable code, and the refusal is audited.
  const blocked = await handover(packageId, { toState: 'ES' });
  assert.equal(blocked.status, 409, JSON.stringify(blocked.body));
  assert.equal(blocked.body.code, 'ERR_EVIDENCE_CONSENT_REQUIRED');
  assert.match(blocked.body.detail, /consent of FR/);
  assert.ok((await auditActions(net.vn, packageId)).includes('evidence.onward_refused'));
  // Not onward transfers: a domestic court of Viet Nam, and France itself.
  const court = await vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/handovers`, {
    kind: 'COURT',
    recipient: 'Hanoi People’s Court',
  });
  assert.equal(court.status, 201, JSON.stringify(court.body));
  assert.equal((await handover(packageId, { toState: 'FR' })).status, 201);

  // Bad requests for consent: each names its field, nothing is stored.
  for (const [body, field] of [
    [{ toState: 'FR', purpose: 'back home' }, '/toState'],
    [{ toState: 'VN', purpose: 'ourselves' }, '/toState'],
    [{ toState: 'es', purpose: 'lower case' }, '/toState'],
    [{ toState: 'ES', purpose: '   ' }, '/purpose'],
  ] as const) {
    const reply = await vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/consents`, body);
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.ok(
      (reply.body.errors as { field: string }[]).some((e) => e.field.endsWith(field)),
      JSON.stringify(reply.body),
    );
  }
  assert.equal((await consentsOn(net.vn, packageId)).length, 0);

  // Viet Nam asks; the request reaches France.
  const asked = await vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/consents`, {
    toState: 'ES',
    purpose: 'Joint investigation with the Spanish police of the same network',
  });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  assert.equal(asked.body.status, 'pending');
  const consentId = asked.body.id as string;
  const atFrance = await eventually('the consent request reaches FR', async () => {
    const list = await frLawyer.api.get(`/api/v1/evidence/packages/${packageId}/consents`);
    return (list.body as { id: string; direction: string; askingState: string }[]).find(
      (c) => c.id === consentId,
    );
  });
  assert.equal(atFrance.direction, 'IN');
  assert.equal(atFrance.askingState, 'VN');
  // Still blocked while it is pending.
  assert.equal((await handover(packageId, { toState: 'ES' })).body.code, 'ERR_EVIDENCE_CONSENT_REQUIRED');
  const handDelivery = () =>
    vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/hand-deliveries`, {
      recipient: 'Fiscalía General del Estado, Madrid',
      toState: 'ES',
    });
  assert.equal((await handDelivery()).body.code, 'ERR_EVIDENCE_CONSENT_REQUIRED');

  // An answer from Germany's node (not the originating State) travels over federation and is refused.
  const now = net.de.ctx.clock.now();
  const forged = await enqueueMessage(
    net.de.database.db,
    {
      recipient: 'VN',
      type: 'evidence_consent_answer',
      requestId: null,
      body: { consentId, packageId, decision: 'GRANTED', reason: null },
    },
    now,
    60_000,
  );
  net.de.ctx.federation.sender.nudge();
  // On a loaded machine a first attempt may time out (ERR_PEER_UNREACHABLE); the sender tries again.
  const refusal = await eventually('VN refuses the answer from DE', async () => {
    const message = await net.de.ctx.federation.getMessage(forged);
    return message.lastErrorCode !== 'ERR_PEER_UNREACHABLE' && message.lastErrorCode;
  });
  assert.equal(refusal, 'ERR_EVIDENCE_CONSENT_WRONG_STATE');
  // So is one from Spain (no node), applied directly, and neither changes anything.
  await assert.rejects(
    net.vn.database.db.transaction((tx) =>
      net.vn.ctx.evidence.consents.receiveAnswer(tx, 'ES', {
        consentId,
        packageId,
        decision: 'GRANTED',
        reason: null,
      }),
    ),
    (error: { code?: string }) => error.code === 'ERR_EVIDENCE_CONSENT_WRONG_STATE',
  );
  // A request from Spain about the package France gave Viet Nam is refused too.
  const [sealed] = await consentsOn(net.fr, packageId);
  await assert.rejects(
    net.fr.database.db.transaction((tx) =>
      net.fr.ctx.evidence.consents.receiveRequest(tx, 'ES', {
        consentId: '01900000-0000-7000-8000-000000000001',
        packageId,
        merkleRoot: 'a'.repeat(64),
        toState: 'DE',
        purpose: 'not ours to ask',
      }),
    ),
    (error: { code?: string }) => error.code === 'ERR_EVIDENCE_CONSENT_WRONG_STATE',
  );
  assert.equal((await consentsOn(net.fr, packageId)).length, 1, `${sealed?.id} only`);
  assert.equal((await consentsOn(net.vn, packageId))[0]!.status, 'pending');

  // Answering: a duty officer lacks the role, an officer outside the case is refused, a bad decision
  // names its field.
  const answerPath = `/api/v1/evidence/consents/${consentId}/answer`;
  assert.equal((await frDuty.api.post(answerPath, { decision: 'GRANTED' })).status, 403);
  const outsider = await frOutsider.api.post(answerPath, { decision: 'GRANTED' });
  assert.equal(outsider.status, 403);
  assert.equal(outsider.body.code, 'ERR_EVIDENCE_NOT_IN_CASE');
  assert.equal((await frLawyer.api.post(answerPath, { decision: 'MAYBE' })).status, 400);
  const granted = await frLawyer.api.post(answerPath, { decision: 'GRANTED', reason: 'Same proceedings' });
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  assert.equal(granted.body.status, 'granted');
  const twice = await frLawyer.api.post(answerPath, { decision: 'REFUSED' });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.code, 'ERR_EVIDENCE_CONSENT_STATE');

  // The answer travels back; the handover to Spain now goes through and is in the custody.
  await eventually('the consent reaches VN', async () => {
    const [row] = await net.vn.database.db
      .select()
      .from(evidenceConsents)
      .where(and(eq(evidenceConsents.id, consentId), eq(evidenceConsents.status, 'granted')));
    return row;
  });
  const delivered = await handover(packageId, { toState: 'ES' });
  assert.equal(delivered.status, 201, JSON.stringify(delivered.body));
  // Handed to Spain in person: the archive verifies offline, France's signature on the manifest (its
  // key from Viet Nam's directory), Viet Nam's on the custody of its own log.
  const byHand = await handDelivery();
  assert.equal(byHand.status, 201, JSON.stringify(byHand.body));
  assert.equal(byHand.body.language, 'es');
  const archive = await fetch(`${net.vn.url}${byHand.body.archive}`, {
    headers: { authorization: `Bearer ${vnDuty.token}` },
  });
  assert.equal(archive.status, 200);
  const into = join(net.dir, 'to-spain');
  await mkdir(into, { recursive: true });
  await writeFile(join(into, 'a.tar'), Buffer.from(await archive.arrayBuffer()));
  await promisify(execFile)('tar', ['-xf', join(into, 'a.tar'), '-C', into]);
  const verification = await verifyExport(join(into, `evidence-${packageId}`));
  assert.equal(verification.ok, true, JSON.stringify(verification.checks, null, 2));
  assert.match(verification.checks.find((c) => c.check === 'signature')!.detail, /of FR/);
  const vnActions = await auditActions(net.vn, packageId);
  for (const a of ['evidence.consent_ask', 'evidence.consent_granted', 'evidence.package_deliver'])
    assert.ok(vnActions.includes(a), `${a} in ${vnActions.join(', ')}`);
  const frActions = await auditActions(net.fr, packageId);
  for (const a of ['evidence.consent_asked', 'evidence.consent_grant'])
    assert.ok(frActions.includes(a), `${a} in ${frActions.join(', ')}`);
  const custody = await vnDuty.api.get(`/api/v1/evidence/packages/${packageId}/custody`);
  assert.ok(
    (custody.body.events as { action: string; details: { toState?: string } }[]).some(
      (e) => e.action === 'evidence.package_deliver' && e.details.toState === 'ES',
    ),
  );
});

test('a refused consent keeps the onward transfer blocked', async () => {
  const { vnDuty, frLawyer } = net.officers;
  const packageId = await net.deliver();
  const asked = await vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/consents`, {
    toState: 'DE',
    purpose: 'A German case about the same provider',
  });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  const consentId = asked.body.id as string;
  await eventually('the consent request reaches FR', async () => (await consentsOn(net.fr, packageId))[0]);
  const refused = await frLawyer.api.post(`/api/v1/evidence/consents/${consentId}/answer`, {
    decision: 'REFUSED',
    reason: 'Other proceedings',
  });
  assert.equal(refused.status, 200, JSON.stringify(refused.body));
  await eventually(
    'the refusal reaches VN',
    async () => (await consentsOn(net.vn, packageId))[0]?.status === 'refused',
  );
  const blocked = await handover(packageId, { toState: 'DE' });
  assert.equal(blocked.status, 409);
  assert.equal(blocked.body.code, 'ERR_EVIDENCE_CONSENT_REQUIRED');
  // France, which sealed the package, needs no one's consent to hand its own package anywhere.
  const own = await frLawyer.api.post(`/api/v1/evidence/packages/${packageId}/handovers`, {
    kind: 'DELIVERY',
    recipient: 'Bundeskriminalamt',
    toState: 'DE',
  });
  assert.equal(own.status, 201, JSON.stringify(own.body));
});
