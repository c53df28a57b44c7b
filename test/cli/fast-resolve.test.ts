import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { directModule } from '../../src/cli/fast-resolve.ts';

// The CLI resolves a dependency's relative imports of its own .mjs files (and .js in module scopes) itself:
// each must land on the very file Node's resolution would, and nothing else may be taken over.
test("a dependency's relative .mjs imports resolve to the files Node finds", () => {
  const entry = import.meta.resolve('typebox');
  const specifiers = [
    ...readFileSync(fileURLToPath(entry), 'utf8').matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g),
  ]
    .map((m) => m[1]!)
    .filter((s) => s.endsWith('.mjs'));
  assert.ok(specifiers.length > 0, 'typebox has relative .mjs imports');
  for (const specifier of specifiers) {
    const url = directModule(specifier, entry);
    assert.equal(url, new URL(specifier, entry).href);
    const path = fileURLToPath(url!);
    assert.equal(realpathSync(path), path, `${specifier} is a real file, not a link`);
  }
});

test('bare names, other formats and paths out of the package are left to Node', () => {
  const parent = import.meta.resolve('typebox');
  assert.equal(directModule('typebox', parent), null);
  assert.equal(directModule('./x.json', parent), null);
  assert.equal(directModule('./x.cjs', parent), null);
  assert.equal(directModule('../../../fastify/fastify.mjs', parent), null);
  assert.equal(directModule('./x.mjs', import.meta.url), null, 'the project itself');
  assert.equal(directModule('./x.mjs', 'file:///app/node_modules/a/index.js'), null, 'from a .js parent');
  const drizzle = 'file:///app/node_modules/drizzle-orm/pg-core/table.js';
  assert.equal(
    directModule('./columns/index.js', drizzle),
    'file:///app/node_modules/drizzle-orm/pg-core/columns/index.js',
  );
  assert.equal(directModule('../../pg/index.js', drizzle), null);
});

test("a dependency's .js imports are taken as modules only where its package.json says so", () => {
  const jose = import.meta.resolve('jose');
  assert.equal(
    directModule('./util/errors.js', jose),
    new URL('./util/errors.js', jose).href,
    'jose is "type": "module"',
  );
  assert.equal(directModule('./util/errors.js', jose, true), null, 'a require() is left to Node');
  assert.equal(directModule('./lib/route.js', import.meta.resolve('fastify')), null, 'a CommonJS package');
  // libphonenumber-js is a module package with a CommonJS folder of its own (build/package.json).
  const phone = new URL('../../node_modules/libphonenumber-js/index.js', import.meta.url).href;
  assert.equal(directModule('./es6/AsYouType.js', phone), new URL('./es6/AsYouType.js', phone).href);
  assert.equal(directModule('./build/AsYouType.js', phone), null, 'its CommonJS folder');
});
