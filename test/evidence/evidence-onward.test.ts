// Onward transfer node to node (art. 36), on three real nodes: France executes Viet Nam's request and
// sends the package; Germany asks Viet Nam for evidence of its own; Viet Nam may send France's package
// on to Germany's node only once France has consented. The bytes travel like any package; Germany's node
// checks France's signature on the manifest and France's signed grant against the signed directory,
// records where the package came from and under which consent, and keeps Viet Nam's custody of it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { CHUNK_SIZE } from '../../src/evidence/evidence-crypto.ts';
import { exportPackage } from '../../src/evidence/export-client.ts';
import { verifyExport } from '../../src/evidence/offline-verify.ts';
import { evidencePackages } from '../../src/store/schema/index.ts';
import type { NetNode } from '../federation/federation-network.ts';
import { runInProcess } from '../helpers/cli-workspace.ts';
import { type ThreeNodes, threeNodes } from './three-nodes.ts';
import { auditActions } from './two-nodes.ts';

let net: ThreeNodes;

before(async () => {
  net = await threeNodes();
});
after(async () => {
  await net?.close();
});

const onward = (packageId: string, body: Record<string, unknown>, who = net.vnCentral) =>
  who.api.post(`/api/v1/evidence/packages/${packageId}/onward`, body);

async function packageOn(node: NetNode, packageId: string) {
  const [row] = await node.database.db
    .select()
    .from(evidencePackages)
    .where(eq(evidencePackages.id, packageId));
  return row;
}

test('without France’s consent the package does not go on: 409, audited, nothing at Germany’s node', async () => {
  const packageId = await net.deliver();
  const body = { toState: 'DE', requestId: net.germanRequest };

  const blocked = await onward(packageId, body);
  assert.equal(blocked.status, 409, JSON.stringify(blocked.body));
  assert.equal(blocked.body.code, 'ERR_EVIDENCE_CONSENT_REQUIRED');
  assert.match(blocked.body.detail, /consent of FR/);
  assert.ok((await auditActions(net.vn, packageId)).includes('evidence.onward_refused'));
  assert.equal(await packageOn(net.de, packageId), undefined);

  // Bad input names its field; a duty officer lacks the role.
  for (const [input, field] of [
    [{ toState: 'FR', requestId: net.germanRequest }, '/toState'],
    [{ toState: 'VN', requestId: net.germanRequest }, '/toState'],
    [{ toState: 'DE', requestId: 'not-a-request' }, '/requestId'],
  ] as const) {
    const reply = await onward(packageId, input);
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.ok(
      (reply.body.errors as { field: string }[]).some((e) => e.field.endsWith(field)),
      JSON.stringify(reply.body),
    );
  }
  assert.equal((await onward(packageId, body, net.officers.vnDuty)).status, 403);

  // France's own package goes to Germany without anyone's consent: but not by this route.
  const own = await net.officers.frLawyer.api.post(`/api/v1/evidence/packages/${packageId}/onward`, body);
  assert.equal(own.status, 400, JSON.stringify(own.body));

  // A consent signed by someone else than France is refused by Germany's node itself: Viet Nam
  // forges a grant with its own key and offers the package directly.
  const pkg = (await packageOn(net.vn, packageId))!;
  const { sender } = net.vn.ctx.evidence.transfer;
  const forged = await net.vn.ctx.keyring.sign({
    typ: 'hanoi247-evidence-consent',
    consentId: '01900000-0000-7000-8000-0000000000aa',
    packageId,
    merkleRoot: pkg.merkleRoot,
    originState: 'FR',
    askingState: 'VN',
    toState: 'DE',
    grantedAt: new Date().toISOString(),
  });
  await assert.rejects(
    sender.transmit(
      pkg,
      await sender.peerFor('DE'),
      randomBytes(32),
      {},
      {
        requestId: net.germanRequest,
        consentId: '01900000-0000-7000-8000-0000000000aa',
        grant: forged,
        custody: [],
      },
    ),
    (e: Error) => /ERR_EVIDENCE_CONSENT_INVALID/.test(e.message) && /not signed/.test(e.message),
  );
  assert.equal(await packageOn(net.de, packageId), undefined);
});

test('with France’s consent Viet Nam sends France’s package on to Germany’s node, which verifies it', async () => {
  const bytes = randomBytes(2 * CHUNK_SIZE + 4321);
  const packageId = await net.deliver(bytes);
  const consentId = await net.consentOfFrance(packageId);
  const consents = await net.vnCentral.api.get(`/api/v1/evidence/packages/${packageId}/consents`);
  assert.equal(consents.body[0].signedGrant, true);

  // The request must be one with Germany (not Viet Nam's request to France).
  const wrongRequest = await onward(packageId, { toState: 'DE', requestId: net.requestId });
  assert.equal(wrongRequest.status, 400, JSON.stringify(wrongRequest.body));

  // Sent with the CLI, in this process through the CLI's entry (the three nodes answer here too).
  const cli = await runInProcess(
    [
      'evidence',
      'send',
      packageId,
      '--onward-to',
      'de',
      '--request',
      net.germanRequest,
      '--url',
      net.vn.url,
      '--json',
    ],
    { ...process.env, HANOI247_TOKEN: net.vnCentral.token },
  );
  assert.equal(cli.status, 0, cli.stderr);
  const sent = { body: JSON.parse(cli.stdout) };
  assert.equal(sent.body.toState, 'DE');
  assert.equal(sent.body.consentId, consentId);
  assert.equal(sent.body.sent, 3);
  // Again: nothing is sent twice, the receipt is the same.
  const again = await onward(packageId, { toState: 'DE', requestId: net.germanRequest });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.sent, 0);
  assert.equal(again.body.receipt, sent.body.receipt);

  // At Germany's node: verified, for Germany's request, the manifest still France's, and where it came from.
  const atGermany = await net.deDuty.api.get(`/api/v1/evidence/packages/${packageId}`);
  assert.equal(atGermany.status, 200, JSON.stringify(atGermany.body));
  assert.equal(atGermany.body.status, 'verified');
  assert.equal(atGermany.body.requestId, net.germanRequest);
  assert.equal(atGermany.body.manifest.originState, 'FR');
  assert.equal(atGermany.body.jws, (await packageOn(net.fr, packageId))!.jws);
  assert.equal(atGermany.body.onward.from, 'VN');
  assert.equal(atGermany.body.onward.originState, 'FR');
  assert.equal(atGermany.body.onward.consentId, consentId);
  assert.equal(atGermany.body.onward.originRequestId, net.requestId);
  const carried = (atGermany.body.onward.custody as { action: string }[]).map((c) => c.action);
  for (const a of [
    'evidence.package_receive',
    'evidence.package_verify',
    'evidence.consent_ask',
    'evidence.consent_granted',
    'evidence.onward_send',
  ])
    assert.ok(carried.includes(a), `${a} in ${carried.join(', ')}`);

  // The bytes are France's: download at Germany's node.
  const items = await net.deDuty.api.get(`/api/v1/requests/${net.germanRequest}/evidence`);
  assert.equal(items.status, 200, JSON.stringify(items.body));
  const item = (items.body.items as { id: string; sha256: string }[])[0]!;
  assert.equal(item.sha256, createHash('sha256').update(bytes).digest('hex'));
  const content = await fetch(`${net.de.url}/api/v1/evidence/items/${item.id}/content`, {
    headers: { authorization: `Bearer ${net.deDuty.token}` },
  });
  assert.equal(content.status, 200);
  assert.ok(Buffer.from(await content.arrayBuffer()).equals(bytes));

  // The chain of custody on each node.
  const vnActions = await auditActions(net.vn, packageId);
  for (const a of [
    'evidence.consent_ask',
    'evidence.consent_granted',
    'evidence.onward_send',
    'evidence.onward_delivered',
  ])
    assert.ok(vnActions.includes(a), `${a} in ${vnActions.join(', ')}`);
  assert.equal(vnActions.filter((a) => a === 'evidence.onward_delivered').length, 1);
  const custody = await net.deDuty.api.get(`/api/v1/evidence/packages/${packageId}/custody`);
  assert.equal(custody.status, 200, JSON.stringify(custody.body));
  const deEvents = custody.body.events as { action: string; details: Record<string, unknown> }[];
  const received = deEvents.find((e) => e.action === 'evidence.package_receive')!;
  assert.equal(received.details.from, 'VN');
  assert.equal(received.details.originState, 'FR');
  assert.equal(received.details.consentId, consentId);
  const verified = deEvents.find((e) => e.action === 'evidence.package_verify')!;
  assert.equal(verified.details.signedBy, 'FR');
  const onwardList = await net.vnCentral.api.get(`/api/v1/evidence/packages/${packageId}/onward`);
  assert.equal(onwardList.body[0].status, 'delivered');
  assert.equal(onwardList.body[0].toState, 'DE');

  // Exported at Germany's node, the package verifies offline with France's key from the directory.
  const into = join(net.dir, `de-export-${packageId}`);
  await exportPackage(
    { baseUrl: net.de.url, headers: { authorization: `Bearer ${net.deDuty.token}` } },
    packageId,
    into,
    { recipient: 'Landgericht Berlin' },
  );
  const verification = await verifyExport(into);
  assert.equal(verification.ok, true, JSON.stringify(verification.checks, null, 2));
  assert.match(verification.checks.find((c) => c.check === 'signature')!.detail, /of FR/);
});
