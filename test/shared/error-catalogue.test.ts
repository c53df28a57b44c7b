import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ERROR_DOCS_PATH, renderErrorDocs } from '../../scripts/error-docs.ts';
import { type CatalogueEntry, ERROR_CATALOGUE } from '../../src/shared/error-catalogue.ts';

// The catalogue cannot drift from the code: every ERR_ code written in src/ is listed, every listed
// code is still written somewhere, and docs/errors.md is what the catalogue generates.
const SRC = resolve(import.meta.dirname, '../../src');
const CATALOGUE_FILE = join(SRC, 'shared/error-catalogue.ts');
// Not preceded by a letter, digit or underscore: FST_ERR_… (Fastify's own codes) is not ours.
const CODE = /(?<![A-Za-z0-9_])ERR_[A-Z0-9_]+/g;
// Codes of Node.js itself that src/ reads off errors it is given; a node never answers them.
const NODE_CODES = new Set(['ERR_HTTP_REQUEST_TIMEOUT']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Each code written in src/ (outside the catalogue) with the first file that writes it. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    if (file === CATALOGUE_FILE) continue;
    for (const [code] of readFileSync(file, 'utf8').matchAll(CODE)) {
      if (!found.has(code) && !NODE_CODES.has(code)) found.set(code, relative(SRC, file));
    }
  }
  return found;
}

const catalogued = Object.keys(ERROR_CATALOGUE);

test('every ERR_ code written in src/ is in the catalogue', () => {
  const missing = [...codesInSource()]
    .filter(([code]) =>
      // A literal ending in _ is a prefix (startsWith('ERR_PEER_')): some catalogued code must have it.
      code.endsWith('_') ? !catalogued.some((c) => c.startsWith(code)) : !catalogued.includes(code),
    )
    .map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], 'add these to ERROR_CATALOGUE in src/shared/error-catalogue.ts');
});

test('every catalogued code is still used in src/', () => {
  const used = codesInSource();
  const unused = catalogued.filter((code) => !used.has(code));
  assert.deepEqual(unused, [], 'remove these from ERROR_CATALOGUE, or use them');
});

test('every entry says its status, meaning, action and where it is answered', () => {
  const problems: string[] = [];
  for (const [code, e] of Object.entries(ERROR_CATALOGUE) as [string, CatalogueEntry][]) {
    if (!/^ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/.test(code)) problems.push(`${code}: not an ERR_UPPER_CASE code`);
    if (e.status !== null && (e.status < 400 || e.status > 599)) problems.push(`${code}: status ${e.status}`);
    const answered = e.surfaces.some((s) => s === 'api' || s === 'federation');
    if (answered && e.status === null) problems.push(`${code}: answered over HTTP but has no status`);
    if (e.surfaces.length === 0) problems.push(`${code}: no surface`);
    for (const field of ['title', 'meaning', 'action'] as const)
      if (e[field].trim().length < 3) problems.push(`${code}: empty ${field}`);
  }
  assert.deepEqual(problems, []);
});

test('no problem type points elsewhere than the catalogue route', () => {
  const stray: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (/hanoi247\.dev|['"`]err-[a-z0-9-]+['"`]|problems\/err-/.test(text)) stray.push(relative(SRC, file));
  }
  assert.deepEqual(stray, [], 'problem types are problemType(code), see src/shared/error-catalogue.ts');
});

test('docs/errors.md is generated from the catalogue (run `npm run docs:errors`)', () => {
  const written = readFileSync(ERROR_DOCS_PATH, 'utf8');
  assert.equal(written, renderErrorDocs(), 'docs/errors.md is stale: run `npm run docs:errors`');
  for (const code of catalogued) assert.ok(written.includes(`\`${code}\``), `${code} missing in errors.md`);
});
