// Issue 21, correction 6: a value that fails validation is named, with its position, in API and
// CLI messages, so an officer finds the bad one among thousands.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { openNodeContext } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, TEST_KEY_SECRET, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

const BAD_IBAN = 'GB82WEST12345698765431';
let node: TestNode;
let cast: Cast;
const workspace = cliWorkspace('refused-values');

before(async () => {
  node = await startTestNode();
  cast = await castHub(node);
  await workspace.open();
  const config = parseConfig({
    HANOI247_KEY_SECRET: TEST_KEY_SECRET,
    HANOI247_DATA_DIR: join(workspace.work, 'data'),
    HANOI247_LOG_LEVEL: 'silent',
    ...(workspace.env.DATABASE_URL ? { DATABASE_URL: workspace.env.DATABASE_URL } : {}),
  });
  const ctx = await openNodeContext(config, { createKeysIfMissing: true, logger: createLogger('silent') });
  await seedDemo(ctx);
  await ctx.database.close();
});
after(async () => {
  await node.close();
  await workspace.close();
});

test('API: a publish whose indicators all fail names each refused value and its position', async () => {
  const api = client(node.url);
  api.setToken(await cast.token('cert'));
  const reply = await api.post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: 'mule accounts',
    confidence: 70,
    tlp: 'AMBER',
    groupId: cast.national,
    indicators: [
      { type: 'iban', value: BAD_IBAN },
      { type: 'ipv4', value: '300.0.0.1' },
    ],
  });
  assert.equal(reply.status, 400, reply.text);
  assert.deepEqual(reply.body.errors, [
    { field: 'indicators/0', message: `"${BAD_IBAN}": IBAN checksum fails` },
    { field: 'indicators/1', message: reply.body.errors[1].message },
  ]);
  assert.match(reply.body.errors[1].message, /^"300\.0\.0\.1": /);
});

test('API: a bulk check names the refused value in its item', async () => {
  const api = client(node.url);
  api.setToken(await cast.token('bank'));
  const reply = await api.post('/api/v1/hub/check', [
    { type: 'domain', value: 'example.com' },
    { type: 'iban', value: BAD_IBAN },
  ]);
  assert.equal(reply.status, 200, reply.text);
  const bad = JSON.stringify(reply.body);
  assert.ok(bad.includes(`\\"${BAD_IBAN}\\": IBAN checksum fails`), bad);
});

test('CLI: a CSV import names the refused value and its line in the file', async () => {
  const csv = join(workspace.work, 'mules.csv');
  writeFileSync(csv, `type,value\nphone,+84 91 234 7777\niban,${BAD_IBAN}\n`);
  const refused = await workspace.cli([
    'alerts',
    'import',
    csv,
    '--as',
    'liaison',
    '--group',
    'National early warning (DEMO)',
    '--kind',
    'scam_campaign',
  ]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, new RegExp(`csv line 3: "${BAD_IBAN}": IBAN checksum fails`));
});
