import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cliWorkspace, signDemoDirectory } from '../helpers/cli-workspace.ts';

// `hanoi247 directory show --signed`: the auditor's view of which signed document the node used,
// read back exactly as it was imported, for the version in force or an earlier one.
const workspace = cliWorkspace('dirshow');
const { work, cli } = workspace;
before(() => workspace.open());
after(() => workspace.close());

test('directory show --signed prints the signed directory kept with a version, as imported', async () => {
  const keyFile = join(work, 'publisher.jwk');
  const anchors = (await cli(['directory', 'keygen', '--out', keyFile])).stdout;
  const kid = JSON.parse(anchors).keys[0].kid as string;
  const signedFile = join(work, 'directory.jws');
  const signed = await signDemoDirectory(workspace, keyFile, signedFile);
  assert.equal(signed.status, 0, signed.stderr);
  const jws = readFileSync(signedFile, 'utf8').trim();
  const trusting = { HANOI247_DIRECTORY_PUBLISHER_KEYS: anchors };
  assert.equal((await cli(['directory', 'import', signedFile], trusting)).status, 0);

  const shown = await cli(['directory', 'show', '--signed', '--json'], trusting);
  assert.equal(shown.status, 0, shown.stderr);
  const record = JSON.parse(shown.stdout);
  assert.equal(record.version, 1);
  assert.equal(record.jws, jws);
  assert.equal(record.publisherKid, kid);
  assert.equal(record.source, `file:${signedFile}`);
  assert.ok(Date.parse(record.validUntil) > Date.parse(record.issuedAt));
  const text = await cli(['directory', 'show', '--signed'], trusting);
  assert.match(text.stdout, new RegExp(`signed by publisher key ${kid}`));
  assert.equal(text.stdout.trim().split('\n').at(-1), jws, 'the JWS itself, on its own line');

  // A node without trust anchors may import an unsigned one: it has no signed document to show,
  // and the earlier signed version is still there.
  assert.equal((await cli(['directory', 'import', signed.plain])).status, 0);
  const none = await cli(['directory', 'show', '--signed']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /version 2 was imported unsigned/);
  assert.equal(
    JSON.parse((await cli(['directory', 'show', '--signed', '--version-number', '1', '--json'])).stdout).jws,
    jws,
  );
  const wrong = await cli(['directory', 'show', '--signed', '--version-number', 'x']);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /--version-number: must be a directory version number/);
});
