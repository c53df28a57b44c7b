// Which test files cannot depend on the storage back end: their own code and every file they import
// (following relative imports) neither reads DATABASE_URL, opens a database, nor starts another
// process or thread (which could). Such a file behaves the same with and without DATABASE_URL, so a
// run that repeats the suite on PostgreSQL may leave it out (`HANOI247_TESTS_STORAGE_ONLY=1`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const STORAGE_MARKERS =
  /DATABASE_URL|node:child_process|['"]child_process['"]|node:worker_threads|@electric-sql\/pglite|from ['"]pg['"]/;
const RELATIVE_IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The first file in `file`'s import closure that can reach storage, or undefined when none can. */
export function storageReach(file: string, seen = new Set<string>()): string | undefined {
  if (seen.has(file)) return undefined;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (STORAGE_MARKERS.test(text)) return file;
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const target = resolve(dirname(file), match[1] ?? '');
    if (!existsSync(target)) continue;
    const reach = storageReach(target, seen);
    if (reach) return reach;
  }
  return undefined;
}

export function isStorageFree(file: string): boolean {
  return storageReach(resolve(file)) === undefined;
}
