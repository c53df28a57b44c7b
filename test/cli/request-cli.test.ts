import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { cliWorkspace } from '../helpers/cli-workspace.ts';

// hanoi247 request new|list|show as an operator runs them, on the node's storage (see cli-workspace.ts).
const workspace = cliWorkspace('request-cli');
const { work, cli, file } = workspace;
before(() => workspace.open());
after(() => workspace.close());

test('request new, list and show; bad files are refused naming the field and article', async () => {
  assert.equal((await cli(['directory', 'import', file('directory.json', buildDemoDirectory())])).status, 0);
  assert.match((await cli(['request', '--help'])).stdout, /list[\s\S]*show[\s\S]*new/);

  const created = await cli([
    'request',
    'new',
    '--file',
    file('p.json', { type: 'PRESERVATION', ...buildRequest('PRESERVATION') }),
    '--json',
  ]);
  assert.equal(created.status, 0, created.stderr);
  const request = JSON.parse(created.stdout).request;
  assert.equal(request.status, 'draft');
  assert.equal(request.type, 'PRESERVATION');
  assert.match(request.draftedBy, /^cli:/);

  const again = await cli(['request', 'new', '--file', join(work, 'p.json')]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^created \S+ \(PRESERVATION, draft\) on legal basis [A-Z_]+/);
  assert.match(again.stderr, /warning: identifiers\/0 \(EMAIL\) is already named in 1 open request to FR/);

  const missing = buildRequest('PRESERVATION');
  delete missing.custodianOrLocation;
  const refused = await cli([
    'request',
    'new',
    '--file',
    file('bad.json', { type: 'PRESERVATION', ...missing }),
  ]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /\/custodianOrLocation: is required/);
  const notJson = await cli(['request', 'new', '--file', join(work, 'nope.json')]);
  assert.equal(notJson.status, 1);
  assert.match(notJson.stderr, /cannot read it as JSON/);

  const list = JSON.parse((await cli(['request', 'list', '--json'])).stdout);
  assert.equal(list.items.length, 2);
  assert.equal(list.items[1].id, request.id);
  const filtered = JSON.parse((await cli(['request', 'list', '--type', 'mla_general', '--json'])).stdout);
  assert.equal(filtered.items.length, 0);
  const paged = JSON.parse((await cli(['request', 'list', '--limit', '1', '--json'])).stdout);
  assert.equal(paged.items.length, 1);
  const second = JSON.parse(
    (await cli(['request', 'list', '--limit', '1', '--after', paged.next, '--json'])).stdout,
  );
  assert.equal(second.items[0].id, request.id);
  assert.match((await cli(['request', 'list'])).stdout, /PRESERVATION\s+draft\s+URGENT\s+FR\s+VN-2026-0042/);
  const byCase = JSON.parse((await cli(['request', 'list', '--case', 'VN-2026-0042', '--json'])).stdout);
  assert.equal(byCase.items.length, 2);
  assert.equal(
    JSON.parse((await cli(['request', 'list', '--case', 'OTHER-1', '--json'])).stdout).items.length,
    0,
  );
  const mine = JSON.parse(
    (await cli(['request', 'list', '--assigned-to', request.assignedTo, '--urgency', 'urgent', '--json']))
      .stdout,
  );
  assert.equal(mine.items.length, 2);
  assert.equal(
    JSON.parse(
      (await cli(['request', 'list', '--partner', 'de', '--direction', 'outgoing', '--json'])).stdout,
    ).items.length,
    0,
  );
  for (const [option, value] of [
    ['--status', 'lost'],
    ['--type', 'telepathy'],
    ['--urgency', 'soon'],
    ['--direction', 'sideways'],
    ['--partner', 'France'],
    ['--limit', '0'],
  ]) {
    const bad = await cli(['request', 'list', option!, value!]);
    assert.equal(bad.status, 1, `${option} ${value}`);
    assert.match(bad.stderr, new RegExp(option!.replace('--', '')), `${option}: ${bad.stderr}`);
  }

  const shown = await cli(['request', 'show', request.id]);
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /PRESERVATION outgoing VN → FR/);
  assert.match(shown.stdout, /next steps: .*submit/);
  assert.match(shown.stdout, /create\s+- → draft/);
  const unknown = await cli(['request', 'show', '01890000-0000-7000-8000-00000000dead']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /does not exist/);
});
