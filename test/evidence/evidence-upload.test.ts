import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { leafHash } from '../../src/crypto/merkle.ts';
import { formatTusMetadata } from '../../src/domain/evidence/index.ts';
import { CHUNK_SIZE } from '../../src/evidence/evidence-crypto.ts';
import { createEvidenceService } from '../../src/evidence/evidence-service.ts';
import type { EvidenceStorage } from '../../src/evidence/evidence-storage.ts';
import { s3Storage } from '../../src/evidence/s3-storage.ts';
import { createUpload, patchUpload, uploadFile, uploadOffset } from '../../src/evidence/tus-client.ts';
import { rowsOf } from '../../src/store/database.ts';
import {
  BACKENDS,
  type EvidenceWorld,
  evidenceWorld,
  incomingRequest,
  MAX_UPLOAD,
  META,
  tusAs,
} from './evidence-fixtures.ts';
import { quotaProxy } from './s3-server.ts';

// Evidence items on a real node (PGlite, or PostgreSQL with DATABASE_URL): resumable tus uploads,
// hashing while streaming, encryption at rest, content addressing, access by case, and faults.
// The core tests run on each storage back end (a folder, an S3-compatible bucket); the others on a folder.
for (const backend of BACKENDS)
  describe(`on ${backend} storage`, () => {
    let world: EvidenceWorld;
    let requestId: string;
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const opts = (who: string) => tusAs(world, who);

    before(async () => {
      world = await evidenceWorld(backend);
      requestId = await incomingRequest(world);
    });
    after(() => world.close());

    async function count(table: string): Promise<number> {
      const rows = rowsOf<{ n: string }>(
        await world.node.ctx.database.db.execute(sql.raw(`SELECT count(*) AS n FROM ${table}`)),
      );
      return Number(rows[0]!.n);
    }

    test('an upload in uneven pieces becomes an item whose SHA-256 was computed while streaming', async () => {
      const bytes = randomBytes(3 * CHUNK_SIZE + 12345);
      const id = await createUpload(opts('duty'), requestId, bytes.length, META);
      assert.equal(await uploadOffset(opts('duty'), id), 0);
      const cuts = [0, 700_001, 700_001 + CHUNK_SIZE + 3, bytes.length];
      let itemId: string | null = null;
      for (let i = 0; i < cuts.length - 1; i++) {
        const result = await patchUpload(opts('duty'), id, cuts[i]!, bytes.subarray(cuts[i], cuts[i + 1]));
        assert.equal(result.offset, cuts[i + 1]);
        itemId = result.itemId;
        if (i < cuts.length - 2) assert.equal(await uploadOffset(opts('duty'), id), cuts[i + 1]);
      }
      assert.ok(itemId);
      const item = await world.officers.lawyer!.api.get(`/api/v1/evidence/items/${itemId}`);
      assert.equal(item.status, 200);
      assert.equal(item.body.sha256, sha(bytes));
      assert.equal(item.body.size, bytes.length);
      assert.equal(item.body.chunkCount, 4);
      // The chunks' Merkle leaves, taken while streaming, are kept for sending (no pass over the chunks).
      const leaves = await world.node.ctx.evidence.deps.storage.readLeaves(sha(bytes));
      const expected = [0, 1, 2, 3].map((i) =>
        leafHash(bytes.subarray(i * CHUNK_SIZE, Math.min(bytes.length, (i + 1) * CHUNK_SIZE))),
      );
      assert.deepEqual(leaves, Buffer.concat(expected));
      assert.deepEqual(item.body.personalData, ['CONTACT', 'COMMUNICATIONS_CONTENT']);
      assert.equal(item.body.domesticOrder, META.domesticOrder);
      // Encrypted at rest: no 64-byte run of the file appears in what is stored.
      assert.equal(await world.store.blobCount(), 1);
      const stored = await world.store.blobBytes(sha(bytes));
      assert.ok(stored.length > bytes.length);
      assert.equal(stored.indexOf(bytes.subarray(5000, 5064)), -1);
      // The download gives the same bytes back.
      const download = await fetch(`${world.node.url}/api/v1/evidence/items/${itemId}/content`, {
        headers: opts('lawyer').headers,
      });
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('x-content-sha256'), sha(bytes));
      assert.equal(sha(new Uint8Array(await download.arrayBuffer())), sha(bytes));
    });

    test('the same bytes uploaded again make a second item but are stored once', async () => {
      const bytes = randomBytes(CHUNK_SIZE + 1);
      const first = await createUpload(opts('duty'), requestId, bytes.length, META);
      await patchUpload(opts('duty'), first, 0, bytes);
      const blobsBefore = await world.store.blobCount();
      const second = await createUpload(opts('lawyer'), requestId, bytes.length, {
        ...META,
        filename: 'copy.mbox',
      });
      const result = await patchUpload(opts('lawyer'), second, 0, bytes);
      assert.ok(result.itemId);
      assert.equal(await world.store.blobCount(), blobsBefore);
      const rows = rowsOf<{ n: string }>(
        await world.node.ctx.database.db.execute(
          sql`SELECT count(*) AS n FROM evidence_items WHERE sha256 = ${sha(bytes)}`,
        ),
      );
      assert.equal(Number(rows[0]!.n), 2);
      assert.equal(await world.store.stagedCount(), 0);
    });

    test('a cut connection keeps what arrived; the upload resumes from the offset the node gives', async () => {
      const bytes = randomBytes(2 * CHUNK_SIZE + 777);
      const id = await createUpload(opts('duty'), requestId, bytes.length, META);
      const url = new URL(`${world.node.url}/api/v1/evidence/uploads/${id}`);
      await new Promise<void>((resolve) => {
        const req = httpRequest(url, {
          method: 'PATCH',
          headers: {
            ...opts('duty').headers,
            'tus-resumable': '1.0.0',
            'upload-offset': '0',
            'content-type': 'application/offset+octet-stream',
            'content-length': String(bytes.length),
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        // About one and a half chunks, then the line drops.
        req.write(bytes.subarray(0, CHUNK_SIZE + CHUNK_SIZE / 2), () => setImmediate(() => req.destroy()));
      });
      // The node finishes with the cut connection on its own time: resume with the client, which retries.
      const itemId = await uploadFile(opts('duty'), id, await tempFile(bytes));
      const item = await world.officers.duty!.api.get(`/api/v1/evidence/items/${itemId}`);
      assert.equal(item.body.sha256, sha(bytes));
    });

    test('after a restart (the hash state gone) an upload resumes and its hash is still right', async () => {
      const bytes = randomBytes(2 * CHUNK_SIZE + 99);
      const id = await createUpload(opts('duty'), requestId, bytes.length, META);
      await patchUpload(opts('duty'), id, 0, bytes.subarray(0, CHUNK_SIZE + 500));
      // A fresh service over the same database and folder knows nothing of the upload in memory.
      const restarted = createEvidenceService(world.node.ctx);
      const actor = { id: world.officers.duty!.id, roles: ['DUTY_OFFICER'] };
      assert.equal((await restarted.uploads.status(id, actor)).offset, CHUNK_SIZE + 500);
      const done = await restarted.uploads.append(id, actor, CHUNK_SIZE + 500, [
        bytes.subarray(CHUNK_SIZE + 500),
      ]);
      assert.equal(done.status, 'complete');
      const item = await restarted.items.get(done.itemId!, actor);
      assert.equal(item.sha256, sha(bytes));
    });

    test('a disk that fills mid-upload leaves the upload incomplete and resumable, never a complete item', async () => {
      const bytes = randomBytes(3 * CHUNK_SIZE + 10);
      const id = await createUpload(opts('duty'), requestId, bytes.length, META);
      const real = world.store.open();
      let written = 0;
      const full: EvidenceStorage = {
        ...real,
        async writeRecord(uploadId, index, record) {
          if (++written > 2) {
            // Part of a record reaches the disk, then it is full.
            const whole = Buffer.isBuffer(record) ? record : Buffer.concat(record);
            await real.writeRecord(uploadId, index, whole.subarray(0, 1000));
            throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          }
          return real.writeRecord(uploadId, index, record);
        },
      };
      const items = await count('evidence_items');
      const ctx = world.node.ctx;
      const failing = createEvidenceService(ctx, { storage: full });
      const actor = { id: world.officers.duty!.id, roles: ['DUTY_OFFICER'] };
      await assert.rejects(
        failing.uploads.append(id, actor, 0, [bytes]),
        (e: { code: string; status: number }) => {
          assert.equal(e.code, 'ERR_STORAGE_FULL');
          assert.equal(e.status, 507);
          return true;
        },
      );
      assert.equal(await count('evidence_items'), items);
      const healthy = createEvidenceService(ctx);
      const status = await healthy.uploads.status(id, actor);
      assert.equal(status.status, 'open');
      assert.equal(status.offset, 2 * CHUNK_SIZE);
      const done = await healthy.uploads.append(id, actor, status.offset, [bytes.subarray(status.offset)]);
      assert.equal((await healthy.items.get(done.itemId!, actor)).sha256, sha(bytes));
    });

    if (backend === 's3')
      test('a bucket over its quota (the service answers 507) leaves the upload incomplete and resumable', async () => {
        const bytes = randomBytes(3 * CHUNK_SIZE + 10);
        const id = await createUpload(opts('duty'), requestId, bytes.length, META);
        const config = world.store.config.s3!;
        // Room for two sealed chunks and a little more: the third chunk's PUT is refused.
        const proxy = await quotaProxy(config.endpoint!, 2 * (CHUNK_SIZE + 28) + 1000);
        const quota = s3Storage({ ...config, endpoint: proxy.endpoint });
        const actor = { id: world.officers.duty!.id, roles: ['DUTY_OFFICER'] };
        const items = await count('evidence_items');
        try {
          const full = createEvidenceService(world.node.ctx, { storage: quota });
          await assert.rejects(
            full.uploads.append(id, actor, 0, [bytes]),
            (e: { code: string; status: number }) => {
              assert.equal(e.code, 'ERR_STORAGE_FULL');
              assert.equal(e.status, 507);
              return true;
            },
          );
        } finally {
          quota.close();
          await proxy.close();
        }
        assert.equal(await count('evidence_items'), items);
        // Space freed (the bucket without the quota): the upload goes on from the last stored chunk.
        const healthy = createEvidenceService(world.node.ctx);
        const status = await healthy.uploads.status(id, actor);
        assert.equal(status.status, 'open');
        assert.equal(status.offset, 2 * CHUNK_SIZE);
        const done = await healthy.uploads.append(id, actor, status.offset, [bytes.subarray(status.offset)]);
        assert.equal((await healthy.items.get(done.itemId!, actor)).sha256, sha(bytes));
      });

    async function tempFile(bytes: Uint8Array): Promise<string> {
      const path = join(world.dir, `source-${randomBytes(4).toString('hex')}.bin`);
      await writeFile(path, bytes);
      return path;
    }

    if (backend !== 'folder') return;

    test('bad uploads: past the maximum, past the length, at the wrong offset, without metadata', async () => {
      const tooBig = await world.officers.duty!.api.call(
        'POST',
        `/api/v1/requests/${requestId}/evidence/uploads`,
        undefined,
        {
          'upload-length': String(MAX_UPLOAD + 1),
          'upload-metadata': formatTusMetadata(META),
        },
      );
      assert.equal(tooBig.status, 413);
      assert.equal(tooBig.body.code, 'ERR_EVIDENCE_TOO_LARGE');
      const noMeta = await world.officers.duty!.api.call(
        'POST',
        `/api/v1/requests/${requestId}/evidence/uploads`,
        undefined,
        {
          'upload-length': '10',
          'upload-metadata': formatTusMetadata({
            filename: 'x.log',
            acquiredAt: 'yesterday',
            personalData: 'GOSSIP',
          }),
        },
      );
      assert.equal(noMeta.status, 400);
      const fields = noMeta.body.errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, [
        'metadata/acquiredAt',
        'metadata/acquiredBy',
        'metadata/description',
        'metadata/personalData',
        'metadata/source',
      ]);
      const id = await createUpload(opts('duty'), requestId, 10, META);
      await assert.rejects(
        patchUpload(opts('duty'), id, 0, randomBytes(11)),
        (e: { status: number; body: { code: string } }) => {
          assert.equal(e.status, 413);
          assert.equal(e.body.code, 'ERR_UPLOAD_PAST_LENGTH');
          return true;
        },
      );
      await patchUpload(opts('duty'), id, 0, randomBytes(4));
      await assert.rejects(
        patchUpload(opts('duty'), id, 2, randomBytes(4)),
        (e: { status: number; body: { code: string; offset: number } }) => {
          assert.equal(e.status, 409);
          assert.equal(e.body.code, 'ERR_UPLOAD_OFFSET');
          assert.equal(e.body.offset, 4);
          return true;
        },
      );
      const cancelled = await world.officers.duty!.api.delete(`/api/v1/evidence/uploads/${id}`);
      assert.equal(cancelled.status, 204);
      assert.equal(
        (await world.officers.duty!.api.get(`/api/v1/evidence/uploads/${id}`)).body.status,
        'cancelled',
      );
    });

    test('an officer outside the case sees nothing and downloads nothing, and the refusal is audited', async () => {
      const list = await world.officers.lawyer!.api.get(`/api/v1/requests/${requestId}/evidence`);
      assert.equal(list.status, 200);
      const itemId = list.body.items[0].id;
      const auditBefore = await count('audit_entries');
      for (const path of [
        `/api/v1/requests/${requestId}/evidence`,
        `/api/v1/evidence/items/${itemId}/content`,
      ]) {
        const reply = await world.officers.outsider!.api.get(path);
        assert.equal(reply.status, 403, path);
        assert.equal(reply.body.code, 'ERR_EVIDENCE_NOT_IN_CASE');
      }
      assert.equal(await count('audit_entries'), auditBefore + 2);
      const actions = rowsOf<{ action: string }>(
        await world.node.ctx.database.db.execute(
          sql`SELECT action FROM audit_entries ORDER BY seq DESC LIMIT 2`,
        ),
      );
      assert.deepEqual(
        actions.map((a) => a.action),
        ['evidence.access_refused', 'evidence.access_refused'],
      );
    });

    test('no evidence on a request that is not in execution', async () => {
      const received = await incomingRequest(world, { execute: false });
      const reply = await world.officers.lawyer!.api.call(
        'POST',
        `/api/v1/requests/${received}/evidence/uploads`,
        undefined,
        {
          'upload-length': '10',
          'upload-metadata': formatTusMetadata(META),
        },
      );
      assert.equal(reply.status, 409);
      assert.equal(reply.body.code, 'ERR_EVIDENCE_REQUEST_STATE');
    });

    test('tus discovery answers with the version and the maximum size', async () => {
      const reply = await fetch(`${world.node.url}/api/v1/evidence/uploads`, { method: 'OPTIONS' });
      assert.equal(reply.status, 204);
      assert.equal(reply.headers.get('tus-version'), '1.0.0');
      assert.equal(reply.headers.get('tus-max-size'), String(MAX_UPLOAD));
    });

    test('the evidence API is in the OpenAPI document, with its roles', async () => {
      const doc = await fetch(`${world.node.url}/docs/json`).then((r) => r.json());
      for (const path of [
        '/api/v1/requests/{id}/evidence/uploads',
        '/api/v1/evidence/uploads/{id}',
        '/api/v1/requests/{id}/evidence/packages',
        '/api/v1/evidence/packages/{id}/approve',
        '/api/v1/evidence/packages/{id}/custody',
        '/api/v1/evidence/items/{id}/content',
      ])
        assert.ok(doc.paths[path], path);
      assert.deepEqual(doc.paths['/api/v1/evidence/packages/{id}/approve'].post['x-roles'], [
        'APPROVER',
        'CENTRAL_AUTHORITY',
      ]);
    });
  });
