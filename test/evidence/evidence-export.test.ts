import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateNodeKeys, signJson } from '../../src/crypto/node-keys.ts';
import { exportPackage } from '../../src/evidence/export-client.ts';
import { verifyExport } from '../../src/evidence/offline-verify.ts';
import { createUpload, patchUpload } from '../../src/evidence/tus-client.ts';
import { runInProcess } from '../helpers/cli-workspace.ts';
import { type EvidenceWorld, evidenceWorld, incomingRequest, META, tusAs } from './evidence-fixtures.ts';

// Export of an approved package to a folder, and its verification offline: no node, no database.
let world: EvidenceWorld;
let packageId: string;
let exported: string;
const opts = (who: string) => tusAs(world, who);

before(async () => {
  world = await evidenceWorld();
  const requestId = await incomingRequest(world);
  for (const [name, size] of [
    ['access log 2026-10 (copy: 2).csv', 2 * 1024 * 1024 + 17],
    ['empty.txt', 0],
  ] as const) {
    const id = await createUpload(opts('duty'), requestId, size, { ...META, filename: name });
    assert.ok((await patchUpload(opts('duty'), id, 0, randomBytes(size))).itemId);
  }
  const sealed = await world.officers.duty!.api.post(`/api/v1/requests/${requestId}/evidence/packages`, {});
  assert.equal(sealed.status, 201);
  packageId = sealed.body.id;
  exported = join(world.dir, 'export');
});
after(() => world.close());

test('a package leaves only once approved; then it exports to a folder that verifies offline', async () => {
  await assert.rejects(exportPackage(opts('duty'), packageId, exported, { recipient: 'x' }), /four eyes/);
  assert.equal(
    (await world.officers.lawyer!.api.post(`/api/v1/evidence/packages/${packageId}/approve`)).status,
    200,
  );
  const result = await exportPackage(opts('duty'), packageId, exported, {
    recipient: 'Tribunal judiciaire de Paris',
  });
  assert.equal(result.files, 2);
  assert.equal(result.language, 'fr');
  const readme = await readFile(join(exported, 'README.fr.txt'), 'utf8');
  assert.match(readme, /hanoi247 evidence verify/);
  assert.match(readme, /Paquet de preuves/);
  const caseUco = JSON.parse(await readFile(join(exported, 'case-uco.jsonld'), 'utf8'));
  assert.equal(
    caseUco['@graph'].filter((n: { '@type': string }) => n['@type'] === 'uco-observable:File').length,
    2,
  );
  assert.deepEqual((await readdir(join(exported, 'files'))).sort(), [
    '001-access log 2026-10 _copy_ 2_.csv',
    '002-empty.txt',
  ]);
  const verification = await verifyExport(exported);
  assert.ok(verification.ok, JSON.stringify(verification.checks, null, 2));
  assert.equal(verification.packageId, packageId);
  const custody = JSON.parse(await readFile(join(exported, 'custody.json'), 'utf8'));
  assert.ok(custody.events.some((e: { action: string }) => e.action === 'evidence.package_export'));
  // The CLI, as a court expert runs it, alone.
  const cli = spawnSync(process.execPath, ['src/cli/main.ts', 'evidence', 'verify', exported], {
    encoding: 'utf8',
  });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /verifies/);
});

async function tampered(name: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(world.dir, `tampered-${name}`);
  await cp(exported, dir, { recursive: true });
  await change(dir);
  return dir;
}

test('an altered file, a manifest signed by another key, a forged custody event: each found', async () => {
  const altered = await tampered('file', async (dir) => {
    const path = join(dir, 'files', '001-access log 2026-10 _copy_ 2_.csv');
    const bytes = await readFile(path);
    bytes[1_500_000] = bytes[1_500_000]! ^ 1;
    await writeFile(path, bytes);
  });
  const a = await verifyExport(altered);
  assert.equal(a.ok, false);
  assert.deepEqual(
    a.checks.filter((c) => !c.ok).map((c) => c.check),
    ['file access log 2026-10 (copy: 2).csv'],
  );
  const other = await generateNodeKeys();
  const forged = await tampered('signature', async (dir) => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    await writeFile(join(dir, 'manifest.jws'), await signJson(manifest, other.signing.privateJwk));
  });
  const f = await verifyExport(forged);
  assert.equal(f.ok, false);
  assert.equal(f.checks[0]!.check, 'signature');
  // A verifier who trusts only the forger's key still rejects the real package.
  assert.equal((await verifyExport(exported, { trustedKeys: [other.signing.publicJwk] })).ok, false);
  const custody = await tampered('custody', async (dir) => {
    const report = JSON.parse(await readFile(join(dir, 'custody.json'), 'utf8'));
    report.events[0].details.from = '198.51.100.9';
    await writeFile(join(dir, 'custody.json'), JSON.stringify(report));
  });
  const c = await verifyExport(custody);
  assert.equal(c.ok, false);
  assert.ok(c.checks.some((x) => !x.ok && x.check.startsWith('custody')));
  // In this process through the CLI's entry; the binary's own run is the test above.
  const cli = await runInProcess(['evidence', 'verify', custody, '--json'], process.env);
  assert.equal(cli.status, 2);
  assert.equal(JSON.parse(cli.stdout).ok, false);
});
