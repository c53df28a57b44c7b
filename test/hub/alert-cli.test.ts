import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { indicatorsFromCsv, parseCsv } from '../../src/cli/commands/alert-commands.ts';
import { parseConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { openNodeContext } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';
import { TEST_KEY_SECRET } from '../helpers/test-node.ts';
import { stixFailures } from '../stix/conformance.ts';

// The CLI as an operator runs it, on storage seeded with the demo hub (see cli-workspace.ts).
const workspace = cliWorkspace('alerts');
const { work, cli } = workspace;

before(async () => {
  await workspace.open();
  const config = parseConfig({
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_DATA_DIR: join(work, 'data'),
    HANOI247_LOG_LEVEL: 'silent',
    ...(workspace.env.DATABASE_URL ? { DATABASE_URL: workspace.env.DATABASE_URL } : {}),
  });
  const ctx = await openNodeContext(config, { createKeysIfMissing: true, logger: createLogger('silent') });
  await seedDemo(ctx);
  await ctx.database.close();
});
after(() => workspace.close());

test('CSV rows: quoted fields, comments, a header with type and value', async () => {
  assert.deepEqual(parseCsv('type,value\n# note\nurl,"https://x.example/a,b"\r\nphone,"say ""hi"""\n'), [
    ['type', 'value'],
    ['url', 'https://x.example/a,b'],
    ['phone', 'say "hi"'],
  ]);
  assert.throws(() => indicatorsFromCsv('kind,what\nx,y\n'), /"type" and "value"/);
  assert.throws(() => indicatorsFromCsv('type,value\nshoe,1\n'), /unknown indicator type "shoe"/);
});

test('alerts --help names the three commands, each with its own --help', async () => {
  const help = await cli(['alerts', '--help']);
  assert.equal(help.status, 0, help.stderr);
  for (const command of ['import', 'check', 'export'])
    assert.match(help.stdout, new RegExp(`\\b${command} `));
  assert.match((await cli(['alerts', 'export', '--help'])).stdout, /--json/);
});

test('alerts check, import (CSV and STIX, all or nothing) and export', async () => {
  const group = 'National early warning (DEMO)';
  const known = await cli([
    'alerts',
    'check',
    'iban',
    'GB82 WEST 1234 5698 7654 32',
    '--as',
    'liaison',
    '--json',
  ]);
  assert.equal(known.status, 0, known.stderr);
  assert.equal(JSON.parse(known.stdout).matches.length, 1);
  const text = await cli(['alerts', 'check', 'phone', '+84 91 234 5678', '--as', 'liaison']);
  assert.match(text.stdout, /known in 1 alert/);
  const bad = await cli(['alerts', 'check', 'ipv4', '999.1.1.1', '--as', 'liaison']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /value/);

  const csv = join(work, 'mules.csv');
  writeFileSync(
    csv,
    'type,value,comment\niban,DE89 3704 0044 0532 0130 00,mule\nphone,+84 91 234 7777,caller\n',
  );
  const imported = await cli([
    'alerts',
    'import',
    csv,
    '--as',
    'liaison',
    '--group',
    group,
    '--kind',
    'scam_campaign',
    '--tlp',
    'green',
    '--json',
  ]);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).alerts[0].indicators, 2);
  const after = await cli(['alerts', 'check', 'phone', '+84912347777', '--as', 'cert', '--json']);
  assert.equal(JSON.parse(after.stdout).matches[0].tlp, 'GREEN');

  const badCsv = join(work, 'bad.csv');
  writeFileSync(badCsv, 'type,value\nipv4,192.0.2.250\nipv4,300.0.0.1\n');
  const refused = await cli([
    'alerts',
    'import',
    badCsv,
    '--as',
    'liaison',
    '--group',
    group,
    '--kind',
    'ransomware',
  ]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /300\.0\.0\.1|indicators\/1/);
  assert.equal(
    JSON.parse((await cli(['alerts', 'check', 'ipv4', '192.0.2.250', '--as', 'liaison', '--json'])).stdout)
      .matches.length,
    0,
  );

  const stix = join(import.meta.dirname, '../stix/fixtures/misp-event.json');
  const fromStix = await cli([
    'alerts',
    'import',
    stix,
    '--as',
    'cert',
    '--group',
    group,
    '--kind',
    'scam_campaign',
    '--json',
  ]);
  assert.equal(fromStix.status, 0, fromStix.stderr);
  assert.equal(JSON.parse(fromStix.stdout).alerts[0].indicators, 4);

  const out = join(work, 'export.json');
  const exported = await cli(['alerts', 'export', out, '--as', 'cert', '--json']);
  assert.equal(exported.status, 0, exported.stderr);
  const bundle = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(JSON.parse(exported.stdout), { file: out, objects: bundle.objects.length });
  assert.ok(
    bundle.objects.some((o: { pattern?: string }) => o.pattern === "[ipv4-addr:value = '203.0.113.45']"),
  );
  return stixFailures(bundle, { rejectCustom: true }).then((failures) => assert.deepEqual(failures, []));
});

test('alerts import: a STIX valid_from of "yesterday" is a clear error naming the field, no stack', async () => {
  const file = join(work, 'yesterday.json');
  const indicator = {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--1c2d3e4f-1111-4111-8111-111111111111',
    created: '2026-03-01T08:00:00.000Z',
    modified: '2026-03-01T08:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.77']",
    pattern_type: 'stix',
    valid_from: 'yesterday',
  };
  writeFileSync(
    file,
    JSON.stringify({
      type: 'bundle',
      id: 'bundle--1c2d3e4f-1111-4111-8111-111111111111',
      objects: [indicator],
    }),
  );
  const group = 'National early warning (DEMO)';
  const reply = await cli([
    'alerts',
    'import',
    file,
    '--as',
    'cert',
    '--group',
    group,
    '--kind',
    'ransomware',
  ]);
  assert.equal(reply.status, 1);
  assert.match(reply.stderr, /valid_from/);
  assert.doesNotMatch(reply.stderr, /RangeError|at .*\.ts:\d+/);
});
