import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectImportKey, projectModule } from '../../src/cli/fast-resolve.ts';

// The CLI resolves the project's own relative .ts imports itself and keeps the answer for a package
// name the project imports: each must be what Node finds, and nothing from a dependency is taken over.
const own = new URL('../../src/main.ts', import.meta.url).href;

test("the project's relative .ts imports resolve to the file Node finds", () => {
  for (const specifier of ['./store/database.ts', './api/app.ts']) {
    assert.equal(projectModule(specifier, own), import.meta.resolve(new URL(specifier, own).href));
  }
  assert.equal(projectModule('./cli/main.ts', own), new URL('../../src/cli/main.ts', import.meta.url).href);
});

test('imports from dependencies, other forms and paths out of the project are left to Node', () => {
  const dependency = import.meta.resolve('fastify');
  assert.equal(projectModule('./lib/x.ts', dependency), null, 'from a dependency');
  assert.equal(projectModule('./x.js', own), null, 'not TypeScript');
  assert.equal(projectModule('fastify', own), null, 'a package name');
  assert.equal(projectModule('../../../../elsewhere.ts', own), null, 'out of the project');
  assert.equal(projectModule('../node_modules/x/y.ts', own), null, 'into node_modules');
  assert.equal(projectModule('./x.ts', 'file:///elsewhere/src/a.ts'), null, 'another project');
});

test('a package name the project imports is kept per name and conditions, nothing else', () => {
  assert.equal(projectImportKey('drizzle-orm', own, ['node', 'import']), 'drizzle-orm\0node,import');
  assert.notEqual(
    projectImportKey('drizzle-orm', own, ['node', 'require']),
    projectImportKey('drizzle-orm', own, ['node', 'import']),
  );
  assert.equal(projectImportKey('drizzle-orm', import.meta.resolve('fastify')), null, 'from a dependency');
  for (const specifier of ['./x.ts', '../x.ts', '/abs/x.js', 'node:fs', 'file:///x.js', '#internal'])
    assert.equal(projectImportKey(specifier, own), null, specifier);
});
