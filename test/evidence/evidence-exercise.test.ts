// Evidence of a joint exercise (issue #18) between two real nodes: Viet Nam controls an exercise that
// France joins; France executes Viet Nam's exercise request and sends a package for it. Every upload,
// item and package of that request carries the exercise id (on both nodes, and signed in the
// manifest); it never counts in the real indicators; nothing crosses between the exercise and real
// work — not when sealing, not when receiving (refused and audited); once the controller ends the
// exercise, its evidence is read-only on both nodes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { DEFAULT_DEADLINE_POLICY } from '../../src/domain/requests/deadlines.ts';
import { verifyExport } from '../../src/evidence/offline-verify.ts';
import { createUpload } from '../../src/evidence/tus-client.ts';
import { computeFigures } from '../../src/reports/compute-indicators.ts';
import {
  auditEntries,
  evidenceItems,
  evidencePackages,
  evidenceUploads,
} from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { apiAs, type NetNode, eventually as until } from '../federation/federation-network.ts';
import { okBody as ok } from '../helpers/http-client.ts';
import { readPdf } from '../helpers/pdf-text.ts';
import { META } from './evidence-fixtures.ts';
import { eventually, offerTo, type TwoNodes, twoNodes } from './two-nodes.ts';
import { unpackArchive } from './unpack-archive.ts';

const SCENARIO = {
  id: 'evidence-vn-fr',
  title: 'Stored data between Viet Nam and France',
  duration: 'PT72H',
  speed: 1,
  participants: [
    { state: 'VN', organisation: 'Viet Nam central authority', language: 'vi' },
    { state: 'FR', organisation: 'OFAC', language: 'fr' },
  ],
  injects: [{ id: 'kick-off', at: 'PT0M', kind: 'manual', title: 'Ask France for the mailbox' }],
  expectedActions: [
    {
      id: 'vn-asks',
      kind: 'send_request',
      inject: 'kick-off',
      by: 'VN',
      to: 'FR',
      requestType: 'MLA_STORED_DATA',
      within: 'PT2H',
    },
  ],
};

let world: TwoNodes;
let exerciseId = '';
let exerciseRequest = '';
/** France's packages of test 1: the exercise request's and the real request's. */
const packages = { exercise: '', real: '' };
const admins: Record<'vn' | 'fr', Awaited<ReturnType<typeof apiAs>>> = {} as never;

before(async () => {
  world = await twoNodes();
  admins.vn = await apiAs(world.vn, 'vn-admin', ['ADMIN']);
  admins.fr = await apiAs(world.fr, 'fr-admin', ['ADMIN']);
  const started = await ok(admins.vn.post('/api/v1/exercises', { scenario: SCENARIO }), 201);
  exerciseId = started.id;
  await ok(
    admins.fr.post('/api/v1/exercises/join', {
      exerciseId,
      scenario: SCENARIO,
      startedAt: started.startedAt,
      speed: started.speed,
      controller: 'VN',
    }),
    201,
  );
  const { vnDuty, vnApprover, frDuty, frLawyer } = world.officers;
  const created = await ok(
    vnDuty.api.post('/api/v1/requests', {
      type: 'MLA_STORED_DATA',
      exerciseId,
      ...buildRequest('MLA_STORED_DATA', { caseReference: 'VN-EX-EVIDENCE' }),
    }),
    201,
  );
  exerciseRequest = created.request.id;
  const step = (who: typeof vnDuty, action: string) =>
    ok(who.api.post(`/api/v1/requests/${exerciseRequest}/transitions`, { action }));
  await step(vnDuty, 'submit');
  await step(vnApprover, 'approve');
  await step(vnDuty, 'send');
  await eventually('the exercise request reaches FR', () =>
    world.fr.ctx.requests.get(exerciseRequest).catch(() => null),
  );
  await step(frDuty, 'acknowledge');
  await step(frLawyer, 'start_execution');
});
after(() => world?.close());

const period = (node: NetNode) => {
  const now = node.ctx.clock.now();
  return { start: new Date(now.getTime() - 86_400_000), end: new Date(now.getTime() + 86_400_000) };
};
const figure = async (node: NetNode, indicator: string) =>
  (await computeFigures(node.database.db, period(node), DEFAULT_DEADLINE_POLICY, 1)).find(
    (f) => f.indicator === indicator && f.dimension === 'total',
  )?.value;

/** An item uploaded by France's duty officer on a request; its id. */
async function upload(requestId: string): Promise<string> {
  const { frDuty } = world.officers;
  const bytes = randomBytes(50_000);
  const tus = { baseUrl: world.fr.url, headers: { authorization: `Bearer ${frDuty.token}` } };
  const url = await createUpload(tus, requestId, bytes.length, META);
  const done = await world.fr.ctx.evidence.uploads.append(url, frDuty.actor, 0, [bytes]);
  return done.itemId!;
}

test("an exercise request's evidence carries the exercise id on both nodes and never counts in real figures", async () => {
  const packageId = await world.deliver(randomBytes(200_000), exerciseRequest);
  packages.exercise = packageId;
  const { vnDuty, frDuty } = world.officers;

  // On France's node: the upload, the item and the package carry the exercise; the manifest signs it.
  const frList = await ok(frDuty.api.get(`/api/v1/requests/${exerciseRequest}/evidence`));
  assert.deepEqual(
    frList.items.map((i: { exerciseId: string }) => i.exerciseId),
    [exerciseId],
  );
  assert.deepEqual(
    frList.packages.map((p: { exerciseId: string }) => p.exerciseId),
    [exerciseId],
  );
  const sealed = await ok(frDuty.api.get(`/api/v1/evidence/packages/${packageId}`));
  assert.equal(sealed.exerciseId, exerciseId);
  assert.equal(sealed.manifest.exerciseId, exerciseId);
  const uploads = await world.fr.database.db
    .select()
    .from(evidenceUploads)
    .where(eq(evidenceUploads.requestId, exerciseRequest));
  assert.deepEqual(
    uploads.map((u) => u.exerciseId),
    [exerciseId],
  );

  // On Viet Nam's node once verified: the received package and items carry it too.
  await eventually('the exercise package verified on VN', async () => {
    const [row] = await world.vn.database.db
      .select()
      .from(evidencePackages)
      .where(eq(evidencePackages.id, packageId));
    return row?.status === 'verified' ? row : null;
  });
  const vnList = await ok(vnDuty.api.get(`/api/v1/requests/${exerciseRequest}/evidence`));
  assert.deepEqual(
    [...vnList.items, ...vnList.packages].map((x: { exerciseId: string }) => x.exerciseId),
    [exerciseId, exerciseId],
  );

  // Viet Nam may not ask France to pass it on to a third State: onward transfer is real work.
  const onward = await vnDuty.api.post(`/api/v1/evidence/packages/${packageId}/consents`, {
    toState: 'ES',
    purpose: 'Spanish proceedings against the same operator',
  });
  assert.equal(onward.status, 409, JSON.stringify(onward.body));
  assert.equal(onward.body.code, 'ERR_EVIDENCE_EXERCISE_BOUNDARY');

  // Not one of the real figures counts it: delivered, received, bytes.
  for (const [node, indicator] of [
    [world.fr, 'evidence_packages_delivered'],
    [world.fr, 'evidence_bytes_delivered'],
    [world.vn, 'evidence_packages_received'],
    [world.vn, 'evidence_bytes_received'],
  ] as const)
    assert.equal(await figure(node, indicator), 0, indicator);

  // A real package on the real request counts, as before, and carries no exercise.
  const real = await world.deliver(randomBytes(100_000));
  packages.real = real;
  await eventually('the real package verified on VN', async () => {
    const [row] = await world.vn.database.db
      .select()
      .from(evidencePackages)
      .where(eq(evidencePackages.id, real));
    return row?.status === 'verified' ? row : null;
  });
  assert.equal(await figure(world.fr, 'evidence_packages_delivered'), 1);
  assert.equal(await figure(world.vn, 'evidence_packages_received'), 1);
  const realRow = await ok(frDuty.api.get(`/api/v1/evidence/packages/${real}`));
  assert.equal(realRow.exerciseId, null);
  assert.equal('exerciseId' in realRow.manifest, false, 'a real manifest is unchanged');
});

test("an exercise package's custody report and hand-delivery note say EXERCISE; a real one's do not", async () => {
  const { frDuty } = world.officers;
  for (const [which, id] of Object.entries(packages)) {
    const exercise = which === 'exercise';
    const report = await ok(frDuty.api.get(`/api/v1/evidence/packages/${id}/custody`));
    assert.equal(report.banner, exercise ? 'EXERCISE — NOT A REAL CASE' : null, which);
    const pdf = await fetch(`${world.fr.url}/api/v1/evidence/packages/${id}/custody?format=pdf`, {
      headers: { authorization: `Bearer ${frDuty.token}` },
    });
    assert.equal(pdf.status, 200);
    const [first] = (await readPdf(new Uint8Array(await pdf.arrayBuffer()))).pages;
    if (exercise) assert.equal(first![0], 'EXERCISE — NOT A REAL CASE', 'the banner comes first');
    else assert.equal(first![0], 'Chain of custody of an evidence package');

    // Handed over in person to Viet Nam, with the instructions in French.
    const delivered = await ok(
      frDuty.api.post(`/api/v1/evidence/packages/${id}/hand-deliveries`, {
        recipient: 'Viet Nam central authority',
        toState: 'VN',
        language: 'fr',
      }),
      201,
    );
    const folder = await unpackArchive(
      world.fr.url,
      delivered.archive,
      frDuty.token,
      join(world.dir, `hand-${which}`),
    );
    const note = await readFile(join(folder, 'DELIVERY.fr.txt'), 'utf8');
    const readme = await readFile(join(folder, 'README.fr.txt'), 'utf8');
    if (exercise) {
      assert.match(note, /^\*\*\* EXERCICE — PAS UNE AFFAIRE RÉELLE \*\*\*\n\nRemise en main propre/);
      assert.match(readme, /^\*\*\* EXERCICE — PAS UNE AFFAIRE RÉELLE \*\*\*\n\nPaquet de preuves/);
      assert.match(
        readme,
        /\n\*\*\* EXERCISE — NOT A REAL CASE \*\*\*\n\nEvidence package/,
        'the English part too',
      );
    } else {
      assert.match(note, /^Remise en main propre/);
      assert.doesNotMatch(`${note}${readme}`, /EXERCI/);
    }
    // The banner changes nothing of the offline check.
    const verification = await verifyExport(folder);
    assert.equal(verification.ok, true, JSON.stringify(verification.checks, null, 2));
  }
});

test('evidence never crosses between the exercise and real work: sealing and receiving refuse it', async () => {
  const { frDuty } = world.officers;
  const exerciseItem = await upload(exerciseRequest);
  const realItem = await upload(world.requestId);
  for (const [requestId, itemId] of [
    [world.requestId, exerciseItem],
    [exerciseRequest, realItem],
  ]) {
    const crossed = await frDuty.api.post(`/api/v1/requests/${requestId}/evidence/packages`, {
      itemIds: [itemId],
    });
    assert.equal(crossed.status, 409, JSON.stringify(crossed.body));
    assert.equal(crossed.body.code, 'ERR_EVIDENCE_EXERCISE_BOUNDARY');
  }
  const [item] = await world.fr.database.db
    .select()
    .from(evidenceItems)
    .where(eq(evidenceItems.id, exerciseItem));
  assert.equal(item!.exerciseId, exerciseId);

  // A node that signs an exercise package for the real request, or a real one for the exercise's:
  // Viet Nam refuses the offer, audited, and keeps nothing of it.
  const sealed = await ok(frDuty.api.post(`/api/v1/requests/${exerciseRequest}/evidence/packages`, {}), 201);
  const manifest = sealed.manifest as Record<string, unknown>;
  const { exerciseId: _, ...realManifest } = manifest;
  for (const forged of [
    { ...manifest, requestId: world.requestId },
    { ...realManifest, requestId: exerciseRequest },
  ]) {
    const reply = await offerTo(world.fr, world.vn, await world.fr.ctx.keyring.sign(forged), sealed.id);
    assert.equal(reply.status, 409);
    assert.equal((await reply.json()).code, 'ERR_EVIDENCE_EXERCISE_BOUNDARY');
  }
  const refusals = await world.vn.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.action, 'evidence.package_refuse'), eq(auditEntries.objectId, sealed.id)));
  assert.equal(refusals.length, 2);
  assert.deepEqual(
    await world.vn.database.db.select().from(evidencePackages).where(eq(evidencePackages.id, sealed.id)),
    [],
  );
});

test('once the controller ends the exercise, its evidence is read-only on both nodes', async () => {
  const { frDuty, frLawyer, vnDuty } = world.officers;
  const item = await upload(exerciseRequest);
  await ok(admins.vn.post(`/api/v1/exercises/${exerciseId}/end`, {}));
  await until(
    async () => {
      const view = await ok(admins.fr.get(`/api/v1/exercises/${exerciseId}`));
      return view.status === 'ended' ? view : undefined;
    },
    "France's copy ended by Viet Nam",
    120_000,
  );
  const seal = await frDuty.api.post(`/api/v1/requests/${exerciseRequest}/evidence/packages`, {
    itemIds: [item],
  });
  assert.equal(seal.status, 409, JSON.stringify(seal.body));
  assert.equal(seal.body.code, 'ERR_EXERCISE_NOT_RUNNING');
  const tus = { baseUrl: world.fr.url, headers: { authorization: `Bearer ${frDuty.token}` } };
  await assert.rejects(createUpload(tus, exerciseRequest, 10, META), /ERR_EXERCISE_NOT_RUNNING|409/);
  // The list still reads (archived, not gone), on both nodes.
  assert.ok((await ok(frLawyer.api.get(`/api/v1/requests/${exerciseRequest}/evidence`))).items.length > 0);
  assert.ok((await ok(vnDuty.api.get(`/api/v1/requests/${exerciseRequest}/evidence`))).items.length > 0);
});
