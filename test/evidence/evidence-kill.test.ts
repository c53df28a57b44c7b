// Part 4 of issue #15, the hard way: the receiving node is a real process, killed with SIGKILL in the
// middle of a transfer (a chunk may be on its way) and started again; the send resumes, only chunks
// the receiver had not acknowledged travel again, and the receiver ends with the same bytes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHUNK_SIZE } from '../../src/evidence/evidence-crypto.ts';
import { BACKENDS } from './evidence-fixtures.ts';
import { type TransferRig, transferRig } from './transfer-processes.ts';

for (const backend of BACKENDS)
  describe(`on ${backend} storage`, () => {
    let rig: TransferRig;
    before(async () => {
      rig = await transferRig(backend);
    });
    after(() => rig?.close());

    // Three kills on the folder; one on S3 (the same code path, to keep the suite's time down).
    const fractions = backend === 'folder' ? [0.3, 0.6, 0.9] : [0.6];
    test(`killed at ${fractions.map((f) => `${f * 100} %`).join(', ')}, the receiver resumes and ends with equal hashes`, async () => {
      const bytes = randomBytes(12 * CHUNK_SIZE + 777);
      const chunks = 13;
      const file = join(tmpdir(), `h247-kill-${randomBytes(4).toString('hex')}.bin`);
      await writeFile(file, bytes);
      const packageId = await rig.packageOf(file);
      const { report, kills } = await rig.sendWithKills(
        packageId,
        fractions.map((f) => Math.round(f * chunks)),
      );
      assert.equal(kills.length, fractions.length);
      for (const [i, kill] of kills.entries()) {
        assert.ok(kill.acknowledged >= Math.round(fractions[i]! * chunks), JSON.stringify(kill));
        // Everything acknowledged before the kill survived it: at most the chunk in flight travels again.
        assert.ok(kill.held >= kill.acknowledged, JSON.stringify(kill));
        assert.equal(kill.resent, 0);
      }
      assert.equal(report.skipped + report.sent, chunks);
      assert.equal(report.skipped, kills.at(-1)!.held);
      assert.deepEqual(await rig.receivedHashes(packageId), [
        createHash('sha256').update(bytes).digest('hex'),
      ]);
    });
  });
