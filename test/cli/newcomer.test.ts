import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { cliWorkspace } from '../helpers/cli-workspace.ts';

// What a newcomer meets on a fresh machine: no node yet, then a node with no directory.
const workspace = cliWorkspace('newcomer');
const { env, cli } = workspace;
before(() => workspace.open());
after(() => workspace.close());

test('a command that only reads refuses where there is no node, and creates nothing', async () => {
  if (env.DATABASE_URL) return; // a database always exists; the data folder is PGlite's
  const result = await cli(['user', 'list']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no node data in .*: set HANOI247_DATA_DIR .*`hanoi247 init`/);
  assert.equal(existsSync(env.HANOI247_DATA_DIR!), false);
});

test('a command that writes says where it keeps the data it creates', async () => {
  const result = await cli(['db', 'migrate']);
  assert.equal(result.status, 0, result.stderr);
  if (!env.DATABASE_URL) assert.match(result.stderr, /no node data in .* yet: creating it there/);
});

test('legal-basis on a node without a directory says how to load one', async () => {
  assert.equal((await cli(['db', 'migrate'])).status, 0);
  const result = await cli(['legal-basis', 'VN', 'FR', '--type', 'preservation']);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no directory is loaded yet: import one with `hanoi247 directory import FILE`/);
  assert.doesNotMatch(result.stderr, /does not exist/);
});
