// Part 4 of issue #15: an approved package travels from France (requested) to Viet Nam (requesting),
// two real nodes on loopback, chunk by chunk, end to end encrypted; the receiver is stopped mid-transfer
// and the send resumes where it stopped; Viet Nam ends with the same bytes and a signed receipt.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { generateNodeKeys, signJson } from '../../src/crypto/node-keys.ts';
import { DEFAULT_DEADLINE_POLICY } from '../../src/domain/requests/deadlines.ts';
import { chunkPath } from '../../src/evidence/transfer/transfer-wire.ts';
import { createUpload } from '../../src/evidence/tus-client.ts';
import { computeFigures, drillDown } from '../../src/reports/compute-indicators.ts';
import { auditEntries, evidenceCustody, evidencePackages } from '../../src/store/schema/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';
import type { client } from '../helpers/http-client.ts';
import { BACKENDS, type EvidenceStore, evidenceStore, META } from './evidence-fixtures.ts';
import { officer as addOfficer, auditActions, offerTo } from './two-nodes.ts';

// Both nodes keep their evidence in a folder, then both in an S3-compatible bucket.
for (const backend of BACKENDS)
  describe(`on ${backend} storage`, () => {
    let vn: NetNode;
    let fr: NetNode;
    let dir: string;
    const stores: EvidenceStore[] = [];
    // The refusals do not touch the stored bytes: they run on the folder only.
    const folderOnly = (name: string, fn: () => Promise<void>) => {
      if (backend === 'folder') test(name, fn);
    };
    const api: Record<string, ReturnType<typeof client>> = {};
    const tokens: Record<string, string> = {};
    const actors: Record<string, { id: string; roles: readonly string[] }> = {};
    let requestId: string;

    async function officer(
      node: NetNode,
      name: string,
      roles: ('DUTY_OFFICER' | 'APPROVER' | 'CENTRAL_AUTHORITY')[],
    ) {
      const { api, token, actor } = await addOfficer(node, name, roles);
      tokens[name] = token;
      actors[name] = actor;
      return api;
    }

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'h247-transfer-'));
      stores.push(
        await evidenceStore(backend, join(dir, 'vn')),
        await evidenceStore(backend, join(dir, 'fr')),
      );
      [vn, fr] = await Promise.all([
        startNetNode({ state: 'VN', env: stores[0]!.env }),
        startNetNode({ state: 'FR', env: stores[1]!.env }),
      ]);
      await linkNodes([vn, fr]);
      api.vnDuty = await officer(vn, 'vn-duty', ['DUTY_OFFICER']);
      api.vnApprover = await officer(vn, 'vn-approver', ['APPROVER']);
      api.frDuty = await officer(fr, 'fr-duty', ['DUTY_OFFICER']);
      api.frLawyer = await officer(fr, 'fr-lawyer', ['CENTRAL_AUTHORITY']);
      const created = await api.vnDuty.post('/api/v1/requests', {
        type: 'PRESERVATION',
        ...buildRequest('PRESERVATION'),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      requestId = created.body.request.id as string;
      for (const [who, action] of [
        ['vnDuty', 'submit'],
        ['vnApprover', 'approve'],
        ['vnDuty', 'send'],
      ] as const)
        assert.equal(
          (await api[who]!.post(`/api/v1/requests/${requestId}/transitions`, { action })).status,
          200,
        );
      const deadline = Date.now() + 30_000;
      while (!(await fr.ctx.requests.get(requestId).catch(() => null))) {
        if (Date.now() > deadline) throw new Error('the request never reached FR');
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const [who, action] of [
        ['frDuty', 'acknowledge'],
        ['frLawyer', 'start_execution'],
      ] as const) {
        const reply = await api[who]!.post(`/api/v1/requests/${requestId}/transitions`, { action });
        assert.equal(reply.status, 200, `${action}: ${JSON.stringify(reply.body)}`);
      }
    });
    after(async () => {
      await Promise.all([vn?.destroy(), fr?.destroy()]);
      await Promise.all(stores.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    });

    async function vnPackage(packageId: string) {
      const [row] = await vn.database.db
        .select()
        .from(evidencePackages)
        .where(eq(evidencePackages.id, packageId));
      return row;
    }

    async function sealedAndApproved(bytes: Buffer): Promise<string> {
      const tus = { baseUrl: fr.url, headers: { authorization: `Bearer ${tokens['fr-duty']}` } };
      const upload = await createUpload(tus, requestId, bytes.length, META);
      // The bytes go straight to the upload service (the tus route is covered by evidence-upload.test.ts).
      const done = await fr.ctx.evidence.uploads.append(upload, actors['fr-duty']!, 0, [bytes]);
      assert.ok(done.itemId, 'the upload made an item');
      const sealed = await api.frDuty!.post(`/api/v1/requests/${requestId}/evidence/packages`, {});
      assert.equal(sealed.status, 201, JSON.stringify(sealed.body));
      const approved = await api.frLawyer!.post(`/api/v1/evidence/packages/${sealed.body.id}/approve`);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      return sealed.body.id as string;
    }

    test('a package sent to VN survives a stop of VN mid-transfer and arrives whole, verified and receipted', async () => {
      const bytes = randomBytes(4 * 1024 * 1024 + 12345);
      const packageId = await sealedAndApproved(bytes);
      const actor = actors['fr-lawyer']!;
      // The receiver goes down after the second chunk: the send stops with a clear error.
      await assert.rejects(
        fr.ctx.evidence.transfer.sender.send(packageId, actor, {
          afterChunk: async (sent) => {
            if (sent === 2) await vn.stop();
          },
        }),
        (error: { code?: string }) => error.code === 'ERR_EVIDENCE_TRANSFER',
      );
      vn = await vn.restart();
      const resumed = await fr.ctx.evidence.transfer.sender.send(packageId, actor);
      // Chunks on their way when VN went down were finished by it (it drains before stopping).
      assert.ok(resumed.skipped >= 2, 'the chunks VN had checked are not sent again');
      assert.equal(resumed.skipped + resumed.sent, 5);
      assert.equal(resumed.resent, 0);

      const received = await vnPackage(packageId);
      assert.equal(received!.status, 'verified');
      assert.equal((received!.manifest as { originState: string }).originState, 'FR');
      const [sent] = await fr.database.db
        .select()
        .from(evidencePackages)
        .where(eq(evidencePackages.id, packageId));
      assert.equal(sent!.status, 'sent');

      // VN's officer downloads the same bytes.
      const list = await api.vnDuty!.get(`/api/v1/requests/${requestId}/evidence`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const item = (list.body.items as { id: string; sha256: string }[])[0]!;
      const expected = createHash('sha256').update(bytes).digest('hex');
      assert.equal(item.sha256, expected);
      const content = await fetch(`${vn.url}/api/v1/evidence/items/${item.id}/content`, {
        headers: { authorization: `Bearer ${tokens['vn-duty']}` },
      });
      assert.equal(content.status, 200);
      assert.equal(
        createHash('sha256')
          .update(Buffer.from(await content.arrayBuffer()))
          .digest('hex'),
        expected,
      );

      assert.deepEqual(
        (await auditActions(vn, packageId)).filter((a) => a.startsWith('evidence.package_')),
        ['evidence.package_receive', 'evidence.package_verify'],
      );
      const frActions = await auditActions(fr, packageId);
      assert.ok(
        frActions.includes('evidence.package_send') && frActions.includes('evidence.package_delivered'),
      );
      // Sending again is harmless: VN answers the same receipt.
      const again = await fr.ctx.evidence.transfer.sender.send(packageId, actor);
      assert.equal(again.sent, 0);
      assert.equal(again.receipt, resumed.receipt);
      // The implementation indicators count it once on each side, with its bytes (threshold 1 here).
      const now = fr.ctx.clock.now();
      const period = {
        start: new Date(now.getTime() - 86_400_000),
        end: new Date(now.getTime() + 86_400_000),
      };
      const figure = async (node: NetNode, indicator: string) =>
        (await computeFigures(node.database.db, period, DEFAULT_DEADLINE_POLICY, 1)).find(
          (f) => f.indicator === indicator && f.dimension === 'total',
        )?.value;
      assert.equal(await figure(fr, 'evidence_packages_delivered'), 1);
      assert.equal(await figure(fr, 'evidence_bytes_delivered'), bytes.length);
      assert.equal(await figure(vn, 'evidence_packages_received'), 1);
      assert.equal(await figure(vn, 'evidence_bytes_received'), bytes.length);
      assert.equal(await figure(vn, 'evidence_packages_delivered'), 0);
      const trace = await drillDown(
        fr.database.db,
        period,
        DEFAULT_DEADLINE_POLICY,
        { indicator: 'evidence_packages_delivered', dimension: 'total' },
        true,
      );
      assert.deepEqual(
        trace.items.map((i) => i.objectId),
        [packageId],
      );
      assert.ok(trace.items[0]!.auditSeq !== null, 'traced to its custody audit entry');
      // Over fewer packages than the threshold, the bytes are withheld like a small count.
      const withheld = await computeFigures(fr.database.db, period, DEFAULT_DEADLINE_POLICY, 5);
      assert.equal(
        withheld.find((f) => f.indicator === 'evidence_bytes_delivered' && f.dimension === 'total')?.value,
        '<5',
      );
    });

    const offer = (manifestJws: string, packageId: string, to = 'VN') =>
      offerTo(fr, vn, manifestJws, packageId, to);

    folderOnly(
      'VN refuses a manifest signed by another key, a package for another node, a request it does not know, and bad chunks',
      async () => {
        const packageId = await sealedAndApproved(randomBytes(300_000));
        const [row] = await fr.database.db
          .select()
          .from(evidencePackages)
          .where(eq(evidencePackages.id, packageId));
        const manifest = row!.manifest as Record<string, unknown>;

        const stranger = await generateNodeKeys();
        const forged = await signJson(manifest, stranger.signing.privateJwk);
        const byStranger = await offer(forged, packageId);
        assert.equal(byStranger.status, 422);
        assert.equal((await byStranger.json()).code, 'ERR_EVIDENCE_MANIFEST_SIGNATURE');

        const forOther = await offer(
          await fr.ctx.keyring.sign({ ...manifest, recipientState: 'DE' }),
          packageId,
        );
        assert.equal(forOther.status, 422);
        assert.equal((await forOther.json()).code, 'ERR_EVIDENCE_WRONG_NODE');

        const unknown = await offer(
          await fr.ctx.keyring.sign({ ...manifest, requestId: '00000000-0000-7000-8000-000000000001' }),
          packageId,
        );
        assert.equal(unknown.status, 409);
        assert.equal((await unknown.json()).code, 'ERR_EVIDENCE_REQUEST_STATE');

        // A genuine offer, then an altered and a truncated chunk: refused, nothing kept.
        assert.equal((await offer(row!.jws, packageId)).status, 200);
        for (const body of [randomBytes(300_000 + 28), randomBytes(10)]) {
          const reply = await fetch(`${vn.url}${chunkPath(packageId, 0, 0)}`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/octet-stream' },
          });
          assert.equal(reply.status, 422);
          assert.equal((await reply.json()).code, 'ERR_EVIDENCE_CHUNK_INVALID');
        }
        // Nothing of them is kept but the count: each refusal is a custody entry (no bytes, no hash
        // of them), counted as an evidence verification failure, by reason, traced to its audit entry.
        const refusals = (await auditActions(vn, packageId)).filter(
          (a) => a === 'evidence.verification_failed',
        );
        assert.equal(refusals.length, 2);
        const refused = await vn.database.db
          .select()
          .from(auditEntries)
          .where(eq(auditEntries.action, 'evidence.verification_failed'));
        assert.deepEqual(
          refused.map((a) => a.actor),
          ['system:federation', 'system:federation'],
        );
        const now = vn.ctx.clock.now();
        const period = {
          start: new Date(now.getTime() - 86_400_000),
          end: new Date(now.getTime() + 86_400_000),
        };
        const failures = (await computeFigures(vn.database.db, period, DEFAULT_DEADLINE_POLICY, 1)).filter(
          (f) => f.indicator === 'evidence_verification_failures',
        );
        assert.equal(failures.find((f) => f.dimension === 'total')?.value, 2);
        // The request is confidential: it counts in the total only, never in a breakdown.
        assert.deepEqual(
          failures.map((f) => f.dimension),
          ['total'],
        );
        const custody = await vn.database.db
          .select()
          .from(evidenceCustody)
          .where(eq(evidenceCustody.action, 'evidence.verification_failed'));
        assert.deepEqual(
          custody.map((c) => c.details),
          [
            { from: 'FR', item: 0, chunk: 0, reason: 'decrypt' },
            { from: 'FR', item: 0, chunk: 0, reason: 'decrypt' },
          ],
          'the partner, where and why: nothing of the bytes',
        );
        const trace = await drillDown(
          vn.database.db,
          period,
          DEFAULT_DEADLINE_POLICY,
          { indicator: 'evidence_verification_failures', dimension: 'total' },
          true,
        );
        assert.deepEqual(
          trace.items.map((i) => i.objectId),
          [packageId, packageId],
        );
        assert.ok(trace.items.every((i) => refused.some((a) => a.seq === i.auditSeq)));
        // Were the request not confidential, the failures would be broken down by reason and partner.
        await vn.database.db.execute(
          sql`UPDATE requests SET body = jsonb_set(body, '{confidentialityRequired}', 'false') WHERE id = ${manifest.requestId as string}`,
        );
        const open = (await computeFigures(vn.database.db, period, DEFAULT_DEADLINE_POLICY, 1)).filter(
          (f) => f.indicator === 'evidence_verification_failures',
        );
        assert.equal(open.find((f) => f.dimension === 'kind' && f.group === 'decrypt')?.value, 2);
        assert.equal(open.find((f) => f.dimension === 'partner' && f.group === 'FR')?.value, 2);
        await vn.database.db.execute(
          sql`UPDATE requests SET body = jsonb_set(body, '{confidentialityRequired}', 'true') WHERE id = ${manifest.requestId as string}`,
        );
        const suppressed = await computeFigures(vn.database.db, period, DEFAULT_DEADLINE_POLICY, 5);
        assert.equal(
          suppressed.find((f) => f.indicator === 'evidence_verification_failures' && f.dimension === 'total')
            ?.value,
          '<5',
        );
        const incomplete = await fetch(`${vn.url}/federation/v1/evidence/packages/${packageId}/complete`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(incomplete.status, 409);
        assert.equal((await incomplete.json()).code, 'ERR_EVIDENCE_INCOMPLETE');
        // The real sender then delivers it whole.
        const done = await fr.ctx.evidence.transfer.sender.send(packageId, actors['fr-lawyer']!);
        assert.equal(done.sent, 1);
      },
    );

    folderOnly(
      'leaf hashes kept at upload that do not make the chunk root are not used: the sender computes them',
      async () => {
        const bytes = randomBytes(3 * 1024 * 1024 + 7);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const packageId = await sealedAndApproved(bytes);
        const storage = fr.ctx.evidence.deps.storage;
        assert.equal((await storage.readLeaves(sha256))?.length, 4 * 32, 'the upload kept its leaves');
        // Altered on disk: proofs from them would be refused by VN chunk after chunk.
        await storage.writeLeaves(sha256, randomBytes(4 * 32));
        const report = await fr.ctx.evidence.transfer.sender.send(packageId, actors['fr-lawyer']!);
        assert.equal(report.resent, 0);
        assert.equal((await vnPackage(packageId))!.status, 'verified');
      },
    );
  });
