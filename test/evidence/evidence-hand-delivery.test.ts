// Hand delivery to a partner without a node (issue #15, part 8): Viet Nam executes France's request
// and hands the package over in person. The delivery is recorded in the chain of custody before the
// archive exists; the archive (tar) unpacks into a folder that `evidence verify` checks offline, with
// instructions in the partner's language (each of the seven); bad input is refused and records nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { README_LANGUAGES } from '../../src/evidence/export-readme.ts';
import { verifyExport } from '../../src/evidence/offline-verify.ts';
import { createUpload } from '../../src/evidence/tus-client.ts';
import { evidenceCustody } from '../../src/store/schema/index.ts';
import { runInProcess } from '../helpers/cli-workspace.ts';
import { type EvidenceWorld, evidenceWorld, incomingRequest, META, tusAs } from './evidence-fixtures.ts';
import { unpackArchive } from './unpack-archive.ts';

let world: EvidenceWorld;
let requestId: string;
const run = promisify(execFile);

before(async () => {
  world = await evidenceWorld();
  requestId = await incomingRequest(world);
});
after(() => world?.close());

async function sealed(approve = true): Promise<string> {
  const { duty, lawyer } = world.officers;
  const bytes = randomBytes(1024 * 1024 + 777);
  const upload = await createUpload(tusAs(world, 'duty'), requestId, bytes.length, {
    ...META,
    filename: `boîte-aux-lettres ${randomBytes(3).toString('hex')} — export très long ${'x'.repeat(60)}.mbox`,
  });
  const done = await world.node.ctx.evidence.uploads.append(
    upload,
    { id: duty!.id, roles: ['DUTY_OFFICER'] },
    0,
    [bytes],
  );
  assert.ok(done.itemId);
  const seal = await duty!.api.post(`/api/v1/requests/${requestId}/evidence/packages`, {});
  assert.equal(seal.status, 201, JSON.stringify(seal.body));
  if (approve) {
    const ok = await lawyer!.api.post(`/api/v1/evidence/packages/${seal.body.id}/approve`);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  }
  return seal.body.id as string;
}

async function deliveries(packageId: string) {
  return world.node.ctx.database.db
    .select()
    .from(evidenceCustody)
    .where(eq(evidenceCustody.packageId, packageId))
    .then((rows) => rows.filter((r) => r.action === 'evidence.package_deliver'));
}

/** Fetches an archive as an officer and unpacks it; answers the folder. */
const unpack = (path: string, token: string, into: string) =>
  unpackArchive(world.node.url, path, token, into);

test('bad input is refused and records nothing; only an approved package is handed over', async () => {
  const { duty, outsider } = world.officers;
  const draft = await sealed(false);
  const path = `/api/v1/evidence/packages/${draft}/hand-deliveries`;
  const notApproved = await duty!.api.post(path, { recipient: 'Parquet de Paris', toState: 'FR' });
  assert.equal(notApproved.status, 409);
  assert.equal(notApproved.body.code, 'ERR_EVIDENCE_PACKAGE_STATE');

  const packageId = await sealed();
  const good = `/api/v1/evidence/packages/${packageId}/hand-deliveries`;
  for (const [body, field] of [
    [{ recipient: 'Parquet de Paris' }, 'toState'],
    [{ recipient: 'Parquet de Paris', toState: 'fr' }, 'toState'],
    [{ recipient: 'Parquet de Paris', toState: 'XX' }, 'toState'],
    [{ recipient: 'Parquet de Paris', toState: 'FR', language: 'de' }, 'language'],
    [{ recipient: '', toState: 'FR' }, 'recipient'],
  ] as const) {
    const reply = await duty!.api.post(good, body);
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.ok(JSON.stringify(reply.body.errors).includes(field), JSON.stringify(reply.body));
  }
  const stranger = await outsider!.api.post(good, { recipient: 'Parquet de Paris', toState: 'FR' });
  assert.equal(stranger.status, 403);
  assert.equal(stranger.body.code, 'ERR_EVIDENCE_NOT_IN_CASE');
  assert.equal((await deliveries(packageId)).length, 0);
  assert.equal((await deliveries(draft)).length, 0);
});

test('the archive records who handed it to whom, unpacks with tar and verifies offline, in French', async () => {
  const { duty, outsider } = world.officers;
  const packageId = await sealed();
  const recorded = await duty!.api.post(`/api/v1/evidence/packages/${packageId}/hand-deliveries`, {
    recipient: 'Parquet de Paris, section J3',
    toState: 'FR',
  });
  assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
  assert.equal(recorded.body.language, 'fr', 'the partner State’s language by default');
  const [delivery] = await deliveries(packageId);
  assert.equal(delivery!.auditSeq, recorded.body.auditSeq);
  assert.equal(delivery!.actor, duty!.id);
  assert.deepEqual(
    {
      recipient: (delivery!.details as Record<string, unknown>).recipient,
      toState: (delivery!.details as Record<string, unknown>).toState,
    },
    { recipient: 'Parquet de Paris, section J3', toState: 'FR' },
  );

  // Only officers of the case fetch it; a delivery that was not recorded has no archive.
  const foreign = await fetch(`${world.node.url}${recorded.body.archive}`, {
    headers: { authorization: `Bearer ${outsider!.token}` },
  });
  assert.equal(foreign.status, 403);
  const unknown = await duty!.api.get(
    `/api/v1/evidence/packages/${packageId}/hand-deliveries/${recorded.body.auditSeq - 1}/archive`,
  );
  assert.equal(unknown.status, 404);

  const folder = await unpack(recorded.body.archive, duty!.token, join(world.dir, `hand-${packageId}`));
  const verification = await verifyExport(folder);
  assert.equal(verification.ok, true, JSON.stringify(verification.checks, null, 2));
  const note = await readFile(join(folder, 'DELIVERY.fr.txt'), 'utf8');
  assert.match(note, /Remis par ev-duty à Parquet de Paris, section J3 \(FR\)/);
  assert.doesNotMatch(note, /EXERCICE|EXERCISE/, 'a real package carries no exercise banner');
  assert.match(note, new RegExp(`entrée ${recorded.body.auditSeq} du journal`));
  assert.match(await readFile(join(folder, 'README.fr.txt'), 'utf8'), /Paquet de preuves/);
  const custody = JSON.parse(await readFile(join(folder, 'custody.json'), 'utf8'));
  assert.ok(
    custody.events.some(
      (e: { action: string; seq: number }) =>
        e.action === 'evidence.package_deliver' && e.seq === recorded.body.auditSeq,
    ),
    'the archive proves its own delivery',
  );
  // An altered file in the unpacked archive is found.
  const files = await readdir(join(folder, 'files'));
  assert.equal(files.length, 1);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(folder, 'files', files[0]!), 'altered');
  assert.equal((await verifyExport(folder)).ok, false);
});

test('instructions in each of the seven languages; the CLI exports for hand delivery', async () => {
  const { duty } = world.officers;
  const packageId = await sealed();
  for (const language of README_LANGUAGES) {
    const recorded = await duty!.api.post(`/api/v1/evidence/packages/${packageId}/hand-deliveries`, {
      recipient: `Authority (${language})`,
      toState: 'SN',
      language,
    });
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
    const folder = await unpack(recorded.body.archive, duty!.token, join(world.dir, `lang-${language}`));
    const note = await readFile(join(folder, `DELIVERY.${language}.txt`), 'utf8');
    assert.match(note, new RegExp(`Authority \\(${language}\\)`));
    assert.match(note, /hanoi247 evidence verify/);
    assert.ok((await readdir(folder)).includes(`README.${language}.txt`));
  }
  assert.equal((await deliveries(packageId)).length, README_LANGUAGES.length);

  // The CLI, against the running node: in this process through the CLI's entry (the node answers here too).
  const cli = async (args: string[]) => {
    const r = await runInProcess(['evidence', 'export', packageId, ...args], {
      ...process.env,
      HANOI247_TOKEN: duty!.token,
      HANOI247_URL: world.node.url,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const out = join(world.dir, 'cli-hand');
  const missing = await cli([out, '--for-hand-delivery', '--recipient', 'Procureur de Dakar']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr + missing.stdout, /--to-state/);
  const done = await cli([
    out,
    '--for-hand-delivery',
    '--to-state',
    'SN',
    '--recipient',
    'Procureur de Dakar',
    '--json',
  ]);
  assert.equal(done.code, 0, done.stderr);
  const result = JSON.parse(done.stdout) as { archive: string; language: string };
  assert.equal(result.language, 'fr', 'Senegal reads French');
  await run('tar', ['-xf', result.archive, '-C', out]);
  const verification = await verifyExport(join(out, `evidence-${packageId}`));
  assert.equal(verification.ok, true, JSON.stringify(verification.checks, null, 2));
  assert.equal((await deliveries(packageId)).length, README_LANGUAGES.length + 1);
});
