import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateNodeKeys, signJson } from '../../src/crypto/node-keys.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';
import { readPdf } from '../helpers/pdf-text.ts';

// `hanoi247 report build` and `report verify` as an operator runs them, on their own storage
// (PGlite data folder, or a fresh PostgreSQL database with DATABASE_URL).
const ws = cliWorkspace('reports');
before(() => ws.open());
after(() => ws.close());

test('report build refuses bad input with a clear message, then builds a report that verifies', async () => {
  assert.equal((await ws.cli(['init'], { HANOI247_NEW_PASSWORD: 'first-admin-password' })).status, 0);
  const future = await ws.cli(['report', 'build', '--period', '2999-Q1']);
  assert.equal(future.status, 1);
  assert.match(future.stderr, /period: 2999-Q1 has not begun yet/);
  const lang = await ws.cli(['report', 'build', '--period', '2026-Q4', '--lang', 'de']);
  assert.equal(lang.status, 1);
  assert.match(lang.stderr, /'de' is not offered/);

  const out = join(ws.work, 'report.json');
  const built = await ws.cli(['report', 'build', '--period', '2026-Q4', '--out', out]);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stderr, /An approver releases it/);
  const ok = await ws.cli(['report', 'verify', out]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /report valid: VN 2026-Q4/);

  const csv = await ws.cli(['report', 'build', '--period', '2026-11', '--format', 'csv', '--lang', 'vi']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.match(csv.stdout, /^\uFEFFKỳ,Chỉ số,/);

  // The PDF with charts; Chinese and Arabic are written as printable HTML, named so.
  const pdf = join(ws.work, 'report-fr.pdf');
  const printed = await ws.cli([
    'report',
    'build',
    '--period',
    '2026-Q4',
    '--format',
    'pdf',
    '--lang',
    'fr',
    '--out',
    pdf,
  ]);
  assert.equal(printed.status, 0, printed.stderr);
  const fr = await readPdf(new Uint8Array(readFileSync(pdf)));
  assert.ok(fr.pages.flat().includes('Demandes de la période'), 'the French chart title');
  const zhOut = join(ws.work, 'report-zh.pdf');
  const zh = await ws.cli([
    'report',
    'build',
    '--period',
    '2026-Q4',
    '--format',
    'pdf',
    '--lang',
    'zh',
    '--out',
    zhOut,
  ]);
  assert.equal(zh.status, 0, zh.stderr);
  assert.match(zh.stderr, /written as printable HTML/);
  assert.match(readFileSync(join(ws.work, 'report-zh.html'), 'utf8'), /<html lang="zh" dir="ltr">/);
  assert.equal(existsSync(zhOut), false, 'no .pdf file holding HTML');
  const format = await ws.cli(['report', 'build', '--period', '2026-Q4', '--format', 'docx']);
  assert.equal(format.status, 1);
  assert.match(format.stderr, /--format: must be json, csv, pdf or html/);

  const file = JSON.parse(readFileSync(out, 'utf8'));
  file.report.suppressionThreshold = 1;
  const tampered = join(ws.work, 'tampered.json');
  writeFileSync(tampered, JSON.stringify(file));
  const bad = await ws.cli(['report', 'verify', tampered, '--json']);
  assert.equal(bad.status, 3);
  assert.equal(JSON.parse(bad.stdout).code, 'ERR_REPORT_MISMATCH');

  const stranger = await generateNodeKeys();
  const keyFile = ws.file('stranger.jwk', {
    keys: [{ ...stranger.signing.publicJwk, kid: file.report.checkpoint.kid }],
  });
  const wrongKey = await ws.cli(['report', 'verify', out, '--key', keyFile]);
  assert.equal(wrongKey.status, 3);
  assert.match(wrongKey.stdout, /REPORT NOT VALID \(ERR_REPORT_SIGNATURE\)/);
  const notReport = await ws.cli(['report', 'verify', ws.file('other.json', { hello: 'world' })]);
  assert.equal(notReport.status, 3);
  assert.match(notReport.stdout, /ERR_REPORT_FORMAT/);
});

test('report verify checks a regional aggregate against its hub, names the members it sums, and refuses a bad one', async () => {
  const hub = await generateNodeKeys();
  const kid = 'hub-key-1';
  const aggregate = {
    format: 'hanoi247/regional-aggregate/v1',
    region: 'ASEAN',
    hub: 'SG',
    period: '2026-Q4',
    generatedAt: '2027-01-02T00:00:00.000Z',
    members: [
      {
        node: 'SG',
        reportId: '0194f3a0-0000-7000-8000-000000000001',
        generatedAt: '2027-01-01T00:00:00.000Z',
        treeSize: 12,
        rootHash: 'a'.repeat(64),
      },
      {
        node: 'VN',
        reportId: '0194f3a0-0000-7000-8000-000000000002',
        generatedAt: '2027-01-02T00:00:00.000Z',
        treeSize: 40,
        rootHash: 'b'.repeat(64),
      },
    ],
    figures: [
      { indicator: 'requests_sent', dimension: 'total', group: null, value: 9, min: 9, max: 9, members: 2 },
    ],
  };
  const jws = await signJson(aggregate, { ...hub.signing.privateJwk, kid });
  const file = ws.file('aggregate.json', { aggregate, jws });
  const keyFile = ws.file('hub.jwk', { keys: [{ ...hub.signing.publicJwk, kid }] });

  const ok = await ws.cli(['report', 'verify', file, '--key', keyFile]);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /regional aggregate valid: ASEAN 2026-Q4, signed by hub SG with key hub-key-1/);
  assert.match(ok.stdout, /sums the reports of 2 members/);
  assert.match(ok.stdout, /VN: report 0194f3a0-0000-7000-8000-000000000002, audit tree size 40/);
  const json = await ws.cli(['report', 'verify', file, '--key', keyFile, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const answer = JSON.parse(json.stdout);
  assert.equal(answer.kind, 'regional-aggregate');
  assert.deepEqual(
    answer.members.map((m: { node: string }) => m.node),
    ['SG', 'VN'],
  );
  // The bare JWS is an aggregate too.
  assert.equal(
    (await ws.cli(['report', 'verify', ws.file('aggregate.jws', jws), '--key', keyFile])).status,
    0,
  );

  // Another key: the signature does not hold.
  const other = await generateNodeKeys();
  const wrong = await ws.cli([
    'report',
    'verify',
    file,
    '--key',
    ws.file('other.jwk', { keys: [{ ...other.signing.publicJwk, kid }] }),
    '--json',
  ]);
  assert.equal(wrong.status, 3);
  assert.equal(JSON.parse(wrong.stdout).code, 'ERR_REPORT_SIGNATURE');
  // No key given, and the directory held here lists no SG: said, not guessed.
  const noDirectory = await ws.cli(['report', 'verify', file]);
  assert.equal(noDirectory.status, 3);
  assert.match(noDirectory.stdout, /ERR_REPORT_SIGNATURE.*lists no node for SG/);
  // The readable aggregate changed after signing.
  const changed = ws.file('changed.json', {
    aggregate: { ...aggregate, members: aggregate.members.slice(1) },
    jws,
  });
  const mismatch = await ws.cli(['report', 'verify', changed, '--key', keyFile, '--json']);
  assert.equal(mismatch.status, 3);
  assert.equal(JSON.parse(mismatch.stdout).code, 'ERR_REPORT_MISMATCH');
  // Signed, but not well formed: a member without its audit root.
  const broken = { ...aggregate, members: [{ ...aggregate.members[0]!, rootHash: 'nope' }] };
  const brokenFile = ws.file('broken.json', {
    aggregate: broken,
    jws: await signJson(broken, { ...hub.signing.privateJwk, kid }),
  });
  const malformed = await ws.cli(['report', 'verify', brokenFile, '--key', keyFile]);
  assert.equal(malformed.status, 3);
  assert.match(malformed.stdout, /ERR_REPORT_FORMAT.*root hash of SG/);
});
