import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateNodeKeys } from '../../src/crypto/node-keys.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';
import { readPdf } from '../helpers/pdf-text.ts';

// `hanoi247 report build` and `report verify` as an operator runs them, on their own storage
// (PGlite data folder, or a fresh PostgreSQL database with DATABASE_URL).
const ws = cliWorkspace('reports');
before(() => ws.open());
after(() => ws.close());

test('report build refuses bad input with a clear message, then builds a report that verifies', async () => {
  assert.equal(ws.cli(['init'], { HANOI247_NEW_PASSWORD: 'first-admin-password' }).status, 0);
  const future = ws.cli(['report', 'build', '--period', '2999-Q1']);
  assert.equal(future.status, 1);
  assert.match(future.stderr, /period: 2999-Q1 has not begun yet/);
  const lang = ws.cli(['report', 'build', '--period', '2026-Q4', '--lang', 'de']);
  assert.equal(lang.status, 1);
  assert.match(lang.stderr, /'de' is not offered/);

  const out = join(ws.work, 'report.json');
  const built = ws.cli(['report', 'build', '--period', '2026-Q4', '--out', out]);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stderr, /An approver releases it/);
  const ok = ws.cli(['report', 'verify', out]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /report valid: VN 2026-Q4/);

  const csv = ws.cli(['report', 'build', '--period', '2026-11', '--format', 'csv', '--lang', 'vi']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.match(csv.stdout, /^\uFEFFKỳ,Chỉ số,/);

  // The PDF with charts; Chinese and Arabic are written as printable HTML, named so.
  const pdf = join(ws.work, 'report-fr.pdf');
  const printed = ws.cli([
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
  const zh = ws.cli([
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
  const format = ws.cli(['report', 'build', '--period', '2026-Q4', '--format', 'docx']);
  assert.equal(format.status, 1);
  assert.match(format.stderr, /--format: must be json, csv, pdf or html/);

  const file = JSON.parse(readFileSync(out, 'utf8'));
  file.report.suppressionThreshold = 1;
  const tampered = join(ws.work, 'tampered.json');
  writeFileSync(tampered, JSON.stringify(file));
  const bad = ws.cli(['report', 'verify', tampered, '--json']);
  assert.equal(bad.status, 3);
  assert.equal(JSON.parse(bad.stdout).code, 'ERR_REPORT_MISMATCH');

  const stranger = await generateNodeKeys();
  const keyFile = ws.file('stranger.jwk', {
    keys: [{ ...stranger.signing.publicJwk, kid: file.report.checkpoint.kid }],
  });
  const wrongKey = ws.cli(['report', 'verify', out, '--key', keyFile]);
  assert.equal(wrongKey.status, 3);
  assert.match(wrongKey.stdout, /REPORT NOT VALID \(ERR_REPORT_SIGNATURE\)/);
  const notReport = ws.cli(['report', 'verify', ws.file('other.json', { hello: 'world' })]);
  assert.equal(notReport.status, 3);
  assert.match(notReport.stdout, /ERR_REPORT_FORMAT/);
});
