import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliWorkspace } from '../helpers/cli-workspace.ts';

// The operator's key life cycle: init, rotate with an overlap, list, publish the entry, revoke.
const workspace = cliWorkspace('keys');
const { cli } = workspace;
before(() => workspace.open());
after(() => workspace.close());

test('keys rotate keeps the old key set for the overlap; revoke retires it at once; the entry lists both', async () => {
  assert.equal((await cli(['init'], { HANOI247_NEW_PASSWORD: 'keys-admin-password' })).status, 0);
  const rotated = await cli(['keys', 'rotate', '--overlap-days', '3', '--json']);
  assert.equal(rotated.status, 0, rotated.stderr);
  const { kid, retiring } = JSON.parse(rotated.stdout);
  assert.equal(retiring.length, 1);
  const overlapDays = (Date.parse(retiring[0].until) - Date.now()) / 86_400_000;
  assert.ok(overlapDays > 2.9 && overlapDays <= 3, `overlap of 3 days, got ${overlapDays}`);
  const list = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as {
    kid: string;
    status: string;
  }[];
  assert.deepEqual(
    list.map((k) => [k.kid === kid, k.status]),
    [
      [true, 'active'],
      [false, 'overlap'],
    ],
  );
  const wrongSecret = await cli(['keys', 'rotate'], { HANOI247_KEY_SECRET: 'not-the-right-secret' });
  assert.equal(wrongSecret.status, 1);
  assert.match(wrongSecret.stderr, /does not unlock/);

  const old = list[1]!.kid;
  assert.equal((await cli(['keys', 'revoke', '--', old])).status, 0);
  const entry = JSON.parse((await cli(['keys', 'entry', '--url', 'https://vn.node.example/'])).stdout);
  assert.equal(entry.url, 'https://vn.node.example');
  const revoked = entry.signingKeys.find((k: { kid: string }) => k.kid === old);
  assert.ok(revoked.revokedAt, 'the directory entry says the old key is revoked');
  assert.equal(entry.signingKeys[0].kid, kid);
  assert.equal(entry.signingKeys[0].revokedAt, undefined);
  const again = await cli(['keys', 'revoke', '--', old]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already revoked/);
  const last = await cli(['keys', 'revoke', '--', kid]);
  assert.equal(last.status, 1);
  assert.match(last.stderr, /the only one: run `hanoi247 keys rotate` first/);
  assert.match((await cli(['keys', 'list'])).stdout, /revoked/);
});

test('a kid that begins with "-" is read as a kid after "--", and the help says so', async () => {
  const dashed = await cli(['keys', 'revoke', '--', '-CcNotAKid']);
  assert.equal(dashed.status, 1);
  assert.match(dashed.stderr, /-CcNotAKid/);
  assert.doesNotMatch(dashed.stderr, /unknown option/);
  assert.match((await cli(['keys', 'revoke', '--help'])).stdout, /begins with "-" goes after "--"/);
});
