// A new embedded database starts as a copy of a template, as PostgreSQL's own CREATE DATABASE copies
// template1: PGlite's initdb and the migrations take seconds (most of a first start, three times over
// for the demo), a copy of the finished folder a fraction of one. The template is made once per set of
// migrations and PGlite version, in node_modules/.cache/hanoi247 (or HANOI247_TEMPLATE_DIR), and only
// ever holds the migrated schema: no keys, accounts or data of any node.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Migrator = (location: string) => Promise<void>;

const building = new Map<string, Promise<string | null>>();

/** The template's name: what decides its contents (the migrations, PGlite's version). */
export function templateKey(migrationsFolder: string, pgliteVersion: string): string {
  const hash = createHash('sha256').update(pgliteVersion);
  const journal = join(migrationsFolder, 'meta', '_journal.json');
  hash.update(readFileSync(journal));
  for (const file of readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    hash.update(file).update(readFileSync(join(migrationsFolder, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The folder of the template for these migrations, made now if missing by `makeTemplate` (which
 * creates and migrates a PGlite database in the folder it is given, then closes it). Null when the
 * cache cannot be written: the caller then starts an empty database as before.
 */
export async function pgliteTemplate(
  cacheDir: string,
  key: string,
  makeTemplate: Migrator,
): Promise<string | null> {
  const target = join(cacheDir, `pglite-${key}`);
  if (existsSync(join(target, 'PG_VERSION'))) return target;
  let pending = building.get(target);
  if (!pending) {
    pending = build(cacheDir, target, makeTemplate).finally(() => building.delete(target));
    building.set(target, pending);
  }
  return pending;
}

async function build(cacheDir: string, target: string, makeTemplate: Migrator): Promise<string | null> {
  const scratch = `${target}.${process.pid}.${Date.now()}`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    await makeTemplate(scratch);
    try {
      // Another process may have finished first: its template is as good as ours.
      renameSync(scratch, target);
    } catch {
      rmSync(scratch, { recursive: true, force: true });
    }
    // Templates of older migrations are of no further use.
    for (const old of readdirSync(cacheDir))
      if (old.startsWith('pglite-') && join(cacheDir, old) !== target && !old.includes('.'))
        rmSync(join(cacheDir, old), { recursive: true, force: true });
    return existsSync(join(target, 'PG_VERSION')) ? target : null;
  } catch {
    rmSync(scratch, { recursive: true, force: true });
    return null;
  }
}

/**
 * Copies the template as the database folder of a new node: into a scratch folder first, so that a
 * copy cut short is never taken for a database. Node's synchronous copy (native, one call) takes about
 * 0.2 s of the main thread for the template's 1,300 files; the promise-based one stats, copies and
 * chmods each file in its own round trip, 1.6-2 s on a loaded machine and that much of a first start.
 */
export async function copyTemplate(template: string, location: string): Promise<void> {
  mkdirSync(dirname(location), { recursive: true });
  const scratch = `${location}.copy-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  try {
    cpSync(template, scratch, { recursive: true });
    renameSync(scratch, location);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}
