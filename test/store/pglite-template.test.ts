// A new embedded node starts as a copy of the migrated template: made once for concurrent starts,
// named by its migrations, and a real node opened from it has every table and no data of any other.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, openDatabase, rowsOf } from '../../src/store/database.ts';
import { pgliteMemoryImage } from '../../src/store/pglite-memory-image.ts';
import { copyTemplate, pgliteTemplate, templateKey } from '../../src/store/pglite-template.ts';

const dir = mkdtempSync(join(tmpdir(), 'h247-template-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the template is named by its migrations and made once for starts that ask at the same time', async () => {
  const migrations = join(dir, 'migrations');
  mkdirSync(join(migrations, 'meta'), { recursive: true });
  writeFileSync(join(migrations, 'meta', '_journal.json'), '{"entries":[]}');
  writeFileSync(join(migrations, '0000_a.sql'), 'CREATE TABLE a (id int);');
  const first = templateKey(migrations, '0.5.16');
  assert.equal(templateKey(migrations, '0.5.16'), first);
  assert.notEqual(templateKey(migrations, '0.6.0'), first, 'another PGlite, another template');
  writeFileSync(join(migrations, '0001_b.sql'), 'CREATE TABLE b (id int);');
  const second = templateKey(migrations, '0.5.16');
  assert.notEqual(second, first, 'a new migration, a new template');

  const cache = join(dir, 'cache');
  let made = 0;
  const make = async (folder: string) => {
    made++;
    mkdirSync(join(folder, 'base'), { recursive: true });
    writeFileSync(join(folder, 'PG_VERSION'), '17\n');
    writeFileSync(join(folder, 'base', 'table'), 'rows');
  };
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => pgliteTemplate(cache, first, make)));
  assert.equal(made, 1);
  assert.ok(a && a === b && b === c);
  // A template of newer migrations replaces the old one.
  const newer = await pgliteTemplate(cache, second, make);
  assert.equal(made, 2);
  assert.deepEqual(readdirSync(cache), [`pglite-${second}`]);
  await copyTemplate(newer!, join(dir, 'node', 'pglite'));
  assert.ok(existsSync(join(dir, 'node', 'pglite', 'base', 'table')));
  assert.deepEqual(readdirSync(join(dir, 'node')), ['pglite'], 'no scratch copy left behind');
  // A cache that cannot be written: no template, and the node starts empty as before.
  writeFileSync(join(dir, 'not-a-folder'), '');
  assert.equal(await pgliteTemplate(join(dir, 'not-a-folder', 'cache'), first, make), null);
});

/**
 * Opens two databases in turn (`where` gives each one's data folder, or null for memory) with the
 * template cache in `cacheName`: the first writes a table, the second must have every migration
 * and nothing of the first. Returns the cache's files.
 */
async function openTwoFromCache(
  cacheName: string,
  where: (n: 'one' | 'two') => string | null,
): Promise<string[]> {
  const saved = process.env.HANOI247_TEMPLATE_DIR;
  process.env.HANOI247_TEMPLATE_DIR = join(dir, cacheName);
  try {
    const one = await openDatabase({ databaseUrl: null, dataDir: where('one') });
    await one.migrate();
    await one.db.execute(sql`CREATE TABLE only_in_one (id int)`);
    await one.close();
    const two = await openDatabase({ databaseUrl: null, dataDir: where('two') });
    try {
      const applied = rowsOf<{ n: number }>(
        await two.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`),
      );
      const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length;
      assert.equal(applied[0]!.n, files, 'every migration is in the copy');
      await two.migrate();
      const mine = rowsOf<{ n: number }>(
        await two.db.execute(sql`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_one'`),
      );
      assert.equal(mine[0]!.n, 0, 'what one database wrote is not in another');
      const users = rowsOf<{ n: number }>(await two.db.execute(sql`SELECT count(*)::int AS n FROM users`));
      assert.equal(users[0]!.n, 0);
    } finally {
      await two.close();
    }
    return readdirSync(join(dir, cacheName));
  } finally {
    if (saved === undefined) delete process.env.HANOI247_TEMPLATE_DIR;
    else process.env.HANOI247_TEMPLATE_DIR = saved;
  }
}

test('a node opened from the template has every migration applied and is its own database', async () => {
  const cache = await openTwoFromCache('real-cache', (n) => join(dir, n));
  assert.equal(cache.length, 1, 'the template was made');
});

test('the in-memory image is made once, replaces older ones, and is given even when it cannot be kept', async () => {
  const cache = join(dir, 'image-cache');
  let made = 0;
  const make = async () => {
    made++;
    return new Uint8Array([1, 2, 3]);
  };
  const [a, b] = await Promise.all([
    pgliteMemoryImage(cache, 'aaaa', make),
    pgliteMemoryImage(cache, 'aaaa', make),
  ]);
  assert.equal(made, 1);
  assert.deepEqual([...a!], [1, 2, 3]);
  assert.deepEqual([...b!], [1, 2, 3]);
  assert.deepEqual([...(await pgliteMemoryImage(cache, 'aaaa', make))!], [1, 2, 3]);
  assert.equal(made, 1, 'read back from the cache');
  await pgliteMemoryImage(cache, 'bbbb', make);
  assert.deepEqual(readdirSync(cache), ['pglite-bbbb.image.tar'], 'the older image is gone, no scratch left');
  writeFileSync(join(dir, 'image-file'), '');
  assert.deepEqual(
    [...(await pgliteMemoryImage(join(dir, 'image-file', 'cache'), 'cccc', make))!],
    [1, 2, 3],
  );
  assert.equal(
    await pgliteMemoryImage(cache, 'dddd', async () => {
      throw new Error('migration failed');
    }),
    null,
    'no image: the caller starts empty and migrates, and sees the failure there',
  );
});

test('an in-memory database starts from the image with every migration applied and is its own database', async () => {
  const cache = await openTwoFromCache('memory-cache', () => null);
  assert.equal(cache.filter((f) => f.endsWith('.image.tar')).length, 1, 'the image was made');
});

test('npm install makes the template ahead (postinstall), so the first node of an install copies it', async () => {
  const cache = join(dir, 'install-cache');
  const env = { ...process.env, HANOI247_TEMPLATE_DIR: cache };
  const run = spawnSync(process.execPath, ['scripts/prepare-pglite-template.ts'], { env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Embedded database template ready/);
  const made = readdirSync(cache).filter((name) => name.startsWith('pglite-'));
  assert.equal(made.length, 1, `one template: ${made.join(', ')}`);
  assert.ok(existsSync(join(cache, made[0] ?? '', 'PG_VERSION')));
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
  assert.match(scripts.postinstall ?? '', /prepare-pglite-template\.ts/);
});
