import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// The import rules that docs/architecture.md states, checked on the source so that the document
// stays true: a rule broken here is either a mistake in the change or a change to the architecture,
// and then the document changes with it.
const SRC = resolve(import.meta.dirname, '../../src');
const IMPORT = /^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Every relative import inside src/, as [importing file, imported file], both relative to src/. */
function imports(): [string, string][] {
  return sourceFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map(
      ([, spec]) => [relative(SRC, file), relative(SRC, resolve(dirname(file), spec!))] as [string, string],
    ),
  );
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

/** The imports from files under `from` to files matching `to`, as "a -> b" lines. */
function crossing(from: (p: string) => boolean, to: (p: string) => boolean): string[] {
  return imports()
    .filter(([a, b]) => from(a) && to(b))
    .map(([a, b]) => `${a} -> ${b}`);
}

test('src/domain imports nothing of src/ outside src/domain', () => {
  assert.deepEqual(
    crossing(under('domain'), (b) => !under('domain')(b)),
    [],
  );
});

test('the web desk imports only the domain from the server', () => {
  assert.deepEqual(
    crossing(under('web'), (b) => !under('web')(b) && !under('domain')(b)),
    [],
  );
});

test('nothing below the API imports the API or the CLI', () => {
  const interfaces = (p: string) => under('api')(p) || under('cli')(p);
  const below = (p: string) =>
    !interfaces(p) && !under('demo')(p) && !under('web')(p) && p !== 'main.ts' && !p.startsWith('..');
  assert.deepEqual(crossing(below, interfaces), []);
});

test('requests do not import federation (the outbox hook is given to them in src/main.ts)', () => {
  assert.deepEqual(crossing(under('requests'), under('federation')), []);
});

test('requests and federation do not import exercises (the clock port, the hook and the gate are given in src/main.ts)', () => {
  assert.deepEqual(
    crossing((p) => under('requests')(p) || under('federation')(p), under('exercises')),
    [],
  );
});
