import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { verifyJson } from '../../src/crypto/node-keys.ts';
import { custodyEventProven } from '../../src/evidence/offline-verify.ts';
import { packageRoot } from '../../src/evidence/package-manifest.ts';
import { createUpload, patchUpload } from '../../src/evidence/tus-client.ts';
import { readPdf } from '../helpers/pdf-text.ts';
import {
  BACKENDS,
  type EvidenceWorld,
  evidenceWorld,
  incomingRequest,
  META,
  tusAs,
} from './evidence-fixtures.ts';

// Sealing packages on a real node: signed manifest, Merkle root, four eyes, corrections, custody. Sealing and retention run on
// each storage back end (a folder, an S3-compatible bucket).
for (const backend of BACKENDS)
  describe(`on ${backend} storage`, () => {
    let world: EvidenceWorld;
    let requestId: string;
    const itemIds: string[] = [];
    // Tests that do not touch the stored bytes run on the folder only.
    const folderOnly = (name: string, fn: () => Promise<void>) => {
      if (backend === 'folder') test(name, fn);
    };
    const opts = (who: string) => tusAs(world, who);

    before(async () => {
      world = await evidenceWorld(backend);
      requestId = await incomingRequest(world);
      for (const size of [10, 1024 * 1024 * 2 + 5]) {
        const id = await createUpload(opts('duty'), requestId, size, {
          ...META,
          filename: `item-${size}.bin`,
        });
        itemIds.push((await patchUpload(opts('duty'), id, 0, randomBytes(size))).itemId!);
      }
    });
    after(() => world.close());

    const api = (who: string) => world.officers[who]!.api;

    test('a sealed package carries a manifest signed by the node, with the Merkle root over the item chunks', async () => {
      const sealed = await api('duty').post(`/api/v1/requests/${requestId}/evidence/packages`, {
        conditions: ['Use limited to proceedings FR-2026-117'],
        retentionDays: 365,
      });
      assert.equal(sealed.status, 201, JSON.stringify(sealed.body));
      const pkg = sealed.body;
      assert.equal(pkg.status, 'sealed');
      const payload = (await verifyJson(
        pkg.jws,
        world.node.ctx.keyring.verificationKeys(),
      )) as typeof pkg.manifest;
      assert.deepEqual(payload, pkg.manifest);
      assert.deepEqual(
        payload.items.map((i: { id: string }) => i.id),
        itemIds,
      );
      assert.equal(payload.requestId, requestId);
      assert.equal(payload.originState, 'VN');
      assert.equal(payload.recipientState, 'FR');
      assert.equal(payload.conditions.onwardTransfer, 'PROHIBITED_WITHOUT_CONSENT');
      assert.deepEqual(payload.conditions.other, ['Use limited to proceedings FR-2026-117']);
      assert.equal(payload.items[1].chunkCount, 3);
      assert.equal(payload.merkle.root, packageRoot(payload.items));
      assert.equal(pkg.merkleRoot, payload.merkle.root);

      // Everything is in a package now: another seal has nothing to take.
      const empty = await api('duty').post(`/api/v1/requests/${requestId}/evidence/packages`, {});
      assert.equal(empty.status, 409);
      assert.equal(empty.body.code, 'ERR_EVIDENCE_EMPTY_PACKAGE');

      // Four eyes: the sealer cannot approve; the lawyer (another officer of the case) can.
      const own = await api('lawyer').post(`/api/v1/requests/${requestId}/evidence/packages`, {
        itemIds: [itemIds[0]],
        supersedes: pkg.id,
      });
      assert.equal(own.status, 201, JSON.stringify(own.body));
      assert.equal(own.body.manifest.supersedes, pkg.id);
      const selfApproval = await api('lawyer').post(`/api/v1/evidence/packages/${own.body.id}/approve`);
      assert.equal(selfApproval.status, 403);
      assert.equal(selfApproval.body.code, 'ERR_FOUR_EYES');
      // The superseded package can no longer be approved; nor superseded twice.
      const stale = await api('lawyer').post(`/api/v1/evidence/packages/${pkg.id}/approve`);
      assert.equal(stale.status, 409);
      assert.equal(stale.body.code, 'ERR_EVIDENCE_SUPERSEDED');
      const twice = await api('duty').post(`/api/v1/requests/${requestId}/evidence/packages`, {
        itemIds: [itemIds[1]],
        supersedes: pkg.id,
      });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.code, 'ERR_EVIDENCE_SUPERSEDED');
    });

    folderOnly(
      'approval by a second officer, then the custody report proves every event in the audit log',
      async () => {
        const sealed = await api('lawyer').post(`/api/v1/requests/${requestId}/evidence/packages`, {
          itemIds: [itemIds[1]],
        });
        assert.equal(sealed.status, 201);
        // The duty officer has no approving role: the central authority lawyer sealed, so another one must approve.
        assert.equal(
          (await api('duty').post(`/api/v1/evidence/packages/${sealed.body.id}/approve`)).status,
          403,
        );
        const { user } = await world.node.ctx.users.addUser('test', {
          username: 'ev-second-lawyer',
          password: 'evidence-password-1',
          roles: ['CENTRAL_AUTHORITY'],
        });
        // Not yet an officer of the case: refused until assigned.
        const token = (
          await world.node.ctx.auth.createToken(user.id, {
            name: 't',
            scopes: ['CENTRAL_AUTHORITY'],
            ttlDays: 1,
          })
        ).token;
        const second = { authorization: `Bearer ${token}` };
        const refused = await fetch(`${world.node.url}/api/v1/evidence/packages/${sealed.body.id}/approve`, {
          method: 'POST',
          headers: second,
        });
        assert.equal(refused.status, 403);
        assert.equal(
          (
            await api('duty').post(`/api/v1/requests/${requestId}/transitions`, {
              action: 'assign',
              assignee: user.id,
            })
          ).status,
          200,
        );
        const approved = await fetch(`${world.node.url}/api/v1/evidence/packages/${sealed.body.id}/approve`, {
          method: 'POST',
          headers: second,
        });
        assert.equal(approved.status, 200);
        assert.equal((await approved.json()).status, 'approved');
        const download = await fetch(`${world.node.url}/api/v1/evidence/items/${itemIds[1]}/content`, {
          headers: { ...opts('lawyer').headers, 'user-agent': 'court-expert/1.0' },
        });
        await download.arrayBuffer();

        const report = await api('auditor').get(`/api/v1/evidence/packages/${sealed.body.id}/custody`);
        assert.equal(report.status, 200, JSON.stringify(report.body));
        const actions = report.body.events.map((e: { action: string }) => e.action);
        for (const wanted of [
          'evidence.item_add',
          'evidence.package_seal',
          'evidence.package_approve',
          'evidence.item_download',
        ])
          assert.ok(actions.includes(wanted), `${wanted} in ${actions.join(', ')}`);
        const head = report.body.treeHead;
        const signed = (await verifyJson(head.jws, world.node.ctx.keyring.verificationKeys())) as {
          rootHash: string;
        };
        assert.equal(signed.rootHash, head.rootHash);
        for (const e of report.body.events)
          assert.ok(custodyEventProven(e, head), `proof of ${e.action} #${e.seq}`);
        const downloadEvent = report.body.events.find(
          (e: { action: string }) => e.action === 'evidence.item_download',
        );
        assert.equal(downloadEvent.details.userAgent, 'court-expert/1.0');
        assert.equal(downloadEvent.details.from, '127.0.0.1');

        const pdf = await fetch(
          `${world.node.url}/api/v1/evidence/packages/${sealed.body.id}/custody?format=pdf`,
          {
            headers: opts('lawyer').headers,
          },
        );
        assert.equal(pdf.status, 200);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        const text = (await readPdf(new Uint8Array(await pdf.arrayBuffer()))).pages.flat().join('\n');
        assert.match(text, /Chain of custody/);
        assert.match(text, /evidence\.package_approve/);
      },
    );

    folderOnly(
      'no package for a request that is not in execution, nor for an officer outside the case',
      async () => {
        const received = await incomingRequest(world, { execute: false });
        const wrong = await api('lawyer').post(`/api/v1/requests/${received}/evidence/packages`, {});
        assert.equal(wrong.status, 409);
        assert.equal(wrong.body.code, 'ERR_EVIDENCE_REQUEST_STATE');
        const outsider = await api('outsider').post(`/api/v1/requests/${requestId}/evidence/packages`, {});
        assert.equal(outsider.status, 403);
        assert.equal(outsider.body.code, 'ERR_EVIDENCE_NOT_IN_CASE');
        const unknownItem = await api('lawyer').post(`/api/v1/requests/${requestId}/evidence/packages`, {
          itemIds: ['00000000-0000-7000-8000-000000000000'],
        });
        assert.equal(unknownItem.status, 400);
        assert.equal(unknownItem.body.errors[0].field, '/itemIds');
      },
    );

    test('past its retention period a package loses its bytes and keeps a tombstone in the audit log', async () => {
      const id = await createUpload(opts('duty'), requestId, 5000, { ...META, filename: 'short-lived.log' });
      const bytes = randomBytes(5000);
      const itemId = (await patchUpload(opts('duty'), id, 0, bytes)).itemId!;
      const sealed = await api('duty').post(`/api/v1/requests/${requestId}/evidence/packages`, {
        itemIds: [itemId],
        retentionDays: 1,
      });
      assert.equal(sealed.status, 201);
      const evidence = world.node.ctx.evidence;
      assert.deepEqual(await evidence.retention.sweep(new Date()), []);
      const later = new Date(Date.now() + 2 * 86_400_000);
      assert.deepEqual(await evidence.retention.sweep(later), [sealed.body.id]);
      assert.deepEqual(await evidence.retention.sweep(later), []);
      const download = await api('lawyer').get(`/api/v1/evidence/items/${itemId}/content`);
      assert.equal(download.status, 410);
      assert.equal(download.body.code, 'ERR_EVIDENCE_DELETED');
      const item = await api('lawyer').get(`/api/v1/evidence/items/${itemId}`);
      assert.equal(item.body.deleted, true);
      const report = await api('auditor').get(`/api/v1/evidence/packages/${sealed.body.id}/custody`);
      assert.equal(report.body.package.status, 'deleted');
      const tombstone = report.body.events.at(-1);
      assert.equal(tombstone.action, 'evidence.package_delete_retention');
      assert.deepEqual(tombstone.details.deleted, [item.body.sha256]);
      // Nothing derived from the bytes stays either: their kept Merkle leaves go with them.
      assert.equal(await evidence.deps.storage.readLeaves(item.body.sha256), null);
      // The same bytes uploaded again are stored again.
      const again = await createUpload(opts('duty'), requestId, 5000, { ...META, filename: 'again.log' });
      const revived = (await patchUpload(opts('duty'), again, 0, bytes)).itemId!;
      const back = await fetch(`${world.node.url}/api/v1/evidence/items/${revived}/content`, {
        headers: opts('lawyer').headers,
      });
      assert.equal(back.status, 200);
      assert.deepEqual(Buffer.from(await back.arrayBuffer()), bytes);
    });
  });
