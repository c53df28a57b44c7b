// `npm test`'s runner: every test file under test/, two at a time. With HANOI247_TESTS_STORAGE_ONLY=1
// (CI's second run, on PostgreSQL) the files that cannot depend on storage are left out, since the
// first run has just run them with the same outcome; the count left out is printed.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { isStorageFree } from './storage-free-tests.ts';

const all = globSync('test/**/*.test.ts').sort();
const storageOnly = process.env.HANOI247_TESTS_STORAGE_ONLY === '1';
const files = storageOnly ? all.filter((file) => !isStorageFree(file)) : all;
if (storageOnly) {
  console.log(
    `HANOI247_TESTS_STORAGE_ONLY=1: running the ${files.length} test files that use storage; ` +
      `${all.length - files.length} that cannot (no database, no other process) ran in the first run.`,
  );
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=180000', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
