import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cliWorkspace, signDemoDirectory } from '../helpers/cli-workspace.ts';

// The publisher's side of a signed directory, as an operator runs it: make a publisher key, sign a
// directory, and import it into a node that trusts that key (and refuses anything unsigned).
const workspace = cliWorkspace('dirsign');
const { work, cli } = workspace;
before(() => workspace.open());
after(() => workspace.close());

test('keygen, sign, import: the node imports what its publisher signed and refuses the rest', async () => {
  const keyFile = join(work, 'publisher.jwk');
  const made = await cli(['directory', 'keygen', '--out', keyFile]);
  assert.equal(made.status, 0, made.stderr);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the private key is readable by its owner only');
  const anchors = made.stdout;
  const kid = JSON.parse(anchors).keys[0].kid as string;
  assert.ok(!anchors.includes('"d"'), 'stdout carries the public key only');
  assert.equal((await cli(['directory', 'keygen', '--out', keyFile])).status, 1, 'never overwrites a key');

  const signedFile = join(work, 'directory.jws');
  const signed = await signDemoDirectory(workspace, keyFile, signedFile);
  assert.equal(signed.status, 0, signed.stderr);
  assert.match(readFileSync(signedFile, 'utf8'), /^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);

  const trusting = { HANOI247_DIRECTORY_PUBLISHER_KEYS: anchors };
  const unsigned = await cli(['directory', 'import', signed.plain], trusting);
  assert.equal(unsigned.status, 1);
  assert.match(unsigned.stderr, /accepts only a directory signed by its publisher/);
  const imported = await cli(['directory', 'import', signedFile, '--json'], trusting);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).publisherKid, kid);

  // The anchors may also come from a file; another publisher's key is refused.
  const otherKey = join(work, 'other.jwk');
  const otherAnchors = workspace.file(
    'other-anchors.json',
    (await cli(['directory', 'keygen', '--out', otherKey])).stdout,
  );
  const refused = await cli(['directory', 'import', signedFile], {
    HANOI247_DIRECTORY_PUBLISHER_KEYS: otherAnchors,
  });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, new RegExp(`signed by ${kid}, which is not a publisher key this node trusts`));
});

test('a broken trust-anchor setting stops the command with one line naming it', async () => {
  const result = await cli(['directory', 'show'], {
    HANOI247_DIRECTORY_PUBLISHER_KEYS: '{"kty":"OKP","crv":"Ed25519"}',
  });
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /^configuration: HANOI247_DIRECTORY_PUBLISHER_KEYS: key 1: must be an Ed25519 public key/m,
  );
});
