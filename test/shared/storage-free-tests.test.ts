import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { isStorageFree, storageReach } from '../../scripts/storage-free-tests.ts';

const dir = mkdtempSync(join(tmpdir(), 'h247-storage-free-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a pure domain test is storage-free; a test that starts a node is not, and the reach names why', () => {
  assert.equal(isStorageFree('test/domain/tlp/tlp.test.ts'), true);
  assert.equal(isStorageFree('test/api/foundation.test.ts'), false);
  assert.ok(storageReach(resolve('test/api/foundation.test.ts')));
});

test('storage reached through a chain of relative imports, or through another process, counts', () => {
  writeFileSync(join(dir, 'leaf.ts'), 'export const url = process.env.DATABASE_URL;\n');
  writeFileSync(join(dir, 'middle.ts'), "export { url } from './leaf.ts';\n");
  writeFileSync(join(dir, 'a.test.ts'), "import { url } from './middle.ts';\nconsole.log(url);\n");
  writeFileSync(join(dir, 'spawns.test.ts'), "import { spawn } from 'node:child_process';\nspawn('true');\n");
  writeFileSync(join(dir, 'pure.ts'), 'export const two = 2;\n');
  writeFileSync(join(dir, 'pure.test.ts'), "import { two } from './pure.ts';\nconsole.log(two);\n");
  assert.equal(storageReach(join(dir, 'a.test.ts')), join(dir, 'leaf.ts'));
  assert.equal(isStorageFree(join(dir, 'spawns.test.ts')), false);
  assert.equal(isStorageFree(join(dir, 'pure.test.ts')), true);
});
