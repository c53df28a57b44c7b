import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { CHUNK_SIZE } from '../../src/evidence/evidence-crypto.ts';
import { createUpload, uploadOffset } from '../../src/evidence/tus-client.ts';
import { type EvidenceWorld, evidenceWorld, incomingRequest, META, tusAs } from './evidence-fixtures.ts';

// Issue 16, part 3: every long-lived stream stops within seconds of a revocation. An upload of many
// gigabytes is one: its bytes must stop being taken once the account that sends them is disabled.
let world: EvidenceWorld;
let requestId: string;
before(async () => {
  world = await evidenceWorld();
  requestId = await incomingRequest(world);
});
after(() => world.close());

/** Polls until `check` returns a value, or fails after the deadline (generous: the machine may be loaded). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the upload did not start in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('an upload stops, answered 401, when its sender is disabled mid-stream; what arrived stays', async () => {
  const length = 4 * CHUNK_SIZE + 1;
  const id = await createUpload(tusAs(world, 'duty'), requestId, length, META);
  const url = new URL(`${world.node.url}/api/v1/evidence/uploads/${id}`);
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${world.officers.duty!.token}`,
          'content-type': 'application/offset+octet-stream',
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    // The first bytes go while the account holds; then it is disabled; then the rest is offered.
    req.write(randomBytes(CHUNK_SIZE + CHUNK_SIZE / 2), () => {
      // Once the node has taken the first chunk, the stream is under way.
      eventually(async () =>
        (await uploadOffset(tusAs(world, 'duty'), id)) >= CHUNK_SIZE ? true : undefined,
      )
        .then(() => world.node.ctx.users.setDisabled('test', 'ev-duty', true))
        .then(() => {
          req.write(randomBytes(2 * CHUNK_SIZE));
          req.end(randomBytes(CHUNK_SIZE / 2 + 1));
        })
        .catch(reject);
    });
  });
  const { status, body } = await answer;
  assert.equal(status, 401, body);
  assert.equal(JSON.parse(body).code, 'ERR_UNAUTHENTICATED');
  await world.node.ctx.users.setDisabled('test', 'ev-duty', false);
  const offset = await uploadOffset(tusAs(world, 'duty'), id);
  assert.ok(offset < length, `the upload did not take every byte offered (${offset} of ${length})`);
});
