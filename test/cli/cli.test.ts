import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../../src/audit/audit-log.ts';
import { deriveAuditSealKey, enableAuditSeal } from '../../src/audit/audit-seal.ts';
import { createAuditService } from '../../src/audit/audit-service.ts';
import { loadConfig } from '../../src/config.ts';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { loadKeyring } from '../../src/node-identity/keyring.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { type Db, openDatabase, rowsOf } from '../../src/store/database.ts';
import { deleteHeadsAbove, resealLog } from '../helpers/audit-forgery.ts';
import { cliWorkspace, runInProcess } from '../helpers/cli-workspace.ts';

// The CLI as an operator runs it on the node's storage: in this process through the CLI's entry, and
// as the real binary where the process itself is what is checked (its exit code, a folder in use).
const workspace = cliWorkspace('cli');
const { work, env, cli, spawn } = workspace;
before(() => workspace.open());
after(() => workspace.close());

test('--help lists the commands and each command has its own help', async () => {
  const help = await cli(['--help']);
  assert.equal(help.status, 0);
  for (const command of ['serve', 'init', 'user', 'directory', 'legal-basis', 'audit', 'db'])
    assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
  assert.match((await cli(['user', 'add', '--help'])).stdout, /--roles/);
});

test('init makes the keys and the first administrator once', async () => {
  const first = await cli(['init', '--json'], { HANOI247_NEW_PASSWORD: 'first-admin-password' });
  assert.equal(first.status, 0, first.stderr);
  const out = JSON.parse(first.stdout);
  assert.equal(out.admin.username, 'admin');
  assert.match(out.keys, /\S{20,}/);
  const again = JSON.parse((await cli(['init', '--json'])).stdout);
  assert.equal(again.keys, 'existing');
  assert.equal(again.admin, undefined);
});

test('user add, list, disable', async () => {
  const added = await cli(['user', 'add', 'nguyen', '--roles', 'duty_officer,APPROVER', '--json'], {
    HANOI247_NEW_PASSWORD: 'nguyen-password-1',
  });
  assert.equal(added.status, 0, added.stderr);
  assert.deepEqual(JSON.parse(added.stdout).user.roles, ['DUTY_OFFICER', 'APPROVER']);
  const duplicate = await cli(['user', 'add', 'nguyen', '--roles', 'DUTY_OFFICER'], {
    HANOI247_NEW_PASSWORD: 'nguyen-password-1',
  });
  assert.equal(duplicate.status, 1);
  assert.match(duplicate.stderr, /already exists/);
  const badRole = await cli(['user', 'add', 'x1', '--roles', 'KING'], {
    HANOI247_NEW_PASSWORD: 'nguyen-password-1',
  });
  assert.equal(badRole.status, 1);
  assert.match(badRole.stderr, /unknown role KING/);
  const users = JSON.parse((await cli(['user', 'list', '--json'])).stdout);
  assert.deepEqual(users.map((u: { username: string }) => u.username).sort(), ['admin', 'nguyen']);
  assert.equal((await cli(['user', 'disable', 'nguyen'])).status, 0);
  assert.equal(
    JSON.parse((await cli(['user', 'list', '--json'])).stdout).find(
      (u: { username: string }) => u.username === 'nguyen',
    ).disabled,
    true,
  );
});

test('directory import refuses a malformed file whole, then imports, exports and shows', async () => {
  const broken = join(work, 'broken.json');
  writeFileSync(broken, '{"parties": [');
  const notJson = await cli(['directory', 'import', broken]);
  assert.equal(notJson.status, 1);
  assert.match(notJson.stderr, /cannot read it as JSON/);

  const invalid = buildDemoDirectory() as any;
  invalid.parties[0].code = 'XX';
  const invalidFile = join(work, 'invalid.json');
  writeFileSync(invalidFile, JSON.stringify(invalid));
  const refused = await cli(['directory', 'import', invalidFile]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /XX/);
  assert.match(refused.stderr, /nothing was imported/);

  const good = join(work, 'directory.json');
  writeFileSync(good, JSON.stringify(buildDemoDirectory()));
  const imported = await cli(['directory', 'import', good, '--json']);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).unchanged, false);
  assert.equal(JSON.parse((await cli(['directory', 'import', good, '--json'])).stdout).unchanged, true);

  const exported = join(work, 'exported.json');
  assert.equal((await cli(['directory', 'export', exported])).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(exported, 'utf8')), JSON.parse(readFileSync(good, 'utf8')));
  const show = await cli(['directory', 'show', 'VN']);
  assert.equal(show.status, 0);
  assert.match(show.stdout, /DEMO DATA/);
  assert.match(show.stdout, /Asia\/Ho_Chi_Minh/);
});

test('legal-basis answers the day before and the day of entry into force', async () => {
  const before = JSON.parse(
    (await cli(['legal-basis', 'VN', 'FR', '--date', '2026-11-30', '--type', 'preservation', '--json']))
      .stdout,
  );
  const on = JSON.parse(
    (await cli(['legal-basis', 'VN', 'FR', '--date', '2026-12-01', '--type', 'preservation', '--json']))
      .stdout,
  );
  assert.equal(before.candidates.find((c: any) => c.basis === 'UNCC').applies, false);
  assert.equal(on.candidates.find((c: any) => c.basis === 'UNCC').applies, true);
  assert.equal(on.primary.basis, 'UNCC');
  const unknown = await cli(['legal-basis', 'VN', 'QQ', '--type', 'preservation']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /QQ/);
  const badType = await cli(['legal-basis', 'VN', 'FR', '--type', 'teleportation']);
  assert.equal(badType.status, 1);
  assert.match(badType.stderr, /not a request type/);
});

test("audit verify --checkpoint names a cut below an auditor's saved checkpoint", async () => {
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: env.HANOI247_DATA_DIR,
  });
  const saved = join(work, 'saved-checkpoint.txt');
  try {
    const keyring = await loadKeyring(database, env.HANOI247_KEY_SECRET!, systemClock);
    const audit = createAuditService(database, systemClock, keyring, loadConfig(env).nodeState);
    const entry = (i: number) => (tx: Db) =>
      appendAudit(
        tx,
        { actor: 'cli-test', action: 'test.entry', objectType: 'test', objectId: `${i}` },
        new Date(),
      );
    // `init` sealed the log with the key secret: a process without it may not write (nor unseal) it.
    await assert.rejects(database.db.transaction(entry(-1)), { code: 'ERR_NO_KEY_SECRET' });
    enableAuditSeal(database.db, deriveAuditSealKey(env.HANOI247_KEY_SECRET!));
    // Entries enough that the log stays above the five the next test expects once one is cut.
    for (let i = 0; i < 6; i++) await database.db.transaction(entry(i));
    const head = await audit.signTreeHead();
    writeFileSync(saved, head.checkpoint!);
    // Someone who can write the database cuts the last entry and recomputes everything.
    await database.db.execute(sql`DELETE FROM audit_entries WHERE seq = ${head.treeSize}`);
    await deleteHeadsAbove(database.db, 0);
    await resealLog(database.db);
  } finally {
    await database.close();
  }
  // An auditor without the key secret and without witnesses is fooled; with the secret, the seal tells.
  const { HANOI247_KEY_SECRET: _secret, ...withoutSecret } = env;
  const fooled = await runInProcess(['audit', 'verify', '--json', '--no-witnesses'], withoutSecret);
  assert.equal(fooled.status, 0, fooled.stderr);
  assert.deepEqual(JSON.parse(fooled.stdout).witnessed, { checkpoints: [], unreachable: [] });
  assert.equal(JSON.parse(fooled.stdout).sealChecked, false);
  const sealed = await cli(['audit', 'verify', '--no-witnesses']);
  assert.equal(sealed.status, 3, sealed.stderr);
  assert.match(
    sealed.stdout,
    /AUDIT LOG DAMAGED at entry \d+ \(FORGED\): the log's state does not carry seal/,
  );
  const caught = await cli(['audit', 'verify', '--checkpoint', saved]);
  assert.equal(caught.status, 3, caught.stderr);
  assert.match(
    caught.stdout,
    /AUDIT LOG DAMAGED at entry \d+ \(TRUNCATED\): checkpoint .*saved-checkpoint\.txt vouches for/,
  );
  // The key holder seals the cut log again, so that the next test starts from a log that verifies.
  const restore = await openDatabase({
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: env.HANOI247_DATA_DIR,
  });
  try {
    await resealLog(restore.db, deriveAuditSealKey(env.HANOI247_KEY_SECRET!));
  } finally {
    await restore.close();
  }
  const junk = join(work, 'junk.txt');
  writeFileSync(junk, 'not a checkpoint\n');
  const refused = await cli(['audit', 'verify', '--checkpoint', junk]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /junk\.txt: /);
});

test('audit verify exits 0 on an intact log and 3, naming the entry, after tampering', async () => {
  const ok = await cli(['audit', 'verify', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const result = JSON.parse(ok.stdout);
  assert.equal(result.ok, true);
  assert.ok(result.entries >= 5);
  // npm install builds the native checker; HANOI247_NATIVE_HASH=0 turns it off.
  assert.equal(result.hashing, env.HANOI247_NATIVE_HASH === '0' ? 'node:crypto' : 'native');
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: env.HANOI247_DATA_DIR,
  });
  try {
    await database.db.execute(sql`UPDATE audit_entries SET action = 'nothing.happened' WHERE seq = 3`);
  } finally {
    await database.close();
  }
  // The binary's own exit code, set by the command rather than by a failure.
  const damaged = spawn(['audit', 'verify']);
  assert.equal(damaged.status, 3);
  assert.match(damaged.stdout, /AUDIT LOG DAMAGED at entry 3 \(ALTERED\)/);
});

test('a second process cannot open a PGlite folder in use', {
  skip: Boolean(process.env.DATABASE_URL),
}, async () => {
  const database = await openDatabase({ databaseUrl: null, dataDir: env.HANOI247_DATA_DIR });
  try {
    const busy = spawn(['user', 'list']);
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /in use by another hanoi247 process/);
  } finally {
    await database.close();
  }
});

test('db migrate applies the migrations once and again without change', async () => {
  const first = await cli(['db', 'migrate']);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /migrations applied \((pglite|postgres)/);
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: env.HANOI247_DATA_DIR,
  });
  let tables: number;
  try {
    const rows = await database.db.execute(
      sql`SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('requests', 'audit_entries', 'users', 'directory_versions')`,
    );
    tables = Number(rowsOf<{ n: string }>(rows)[0]!.n);
  } finally {
    await database.close();
  }
  assert.equal(tables, 4, 'the core tables exist');
  assert.equal((await cli(['db', 'migrate'])).status, 0);
});

test('every command and subcommand answers --help', async () => {
  for (const args of [
    ['serve'],
    ['demo'],
    ['init'],
    ['db'],
    ['db', 'migrate'],
    ['user'],
    ['user', 'add'],
    ['user', 'list'],
    ['user', 'disable'],
    ['directory'],
    ['directory', 'import'],
    ['directory', 'export'],
    ['directory', 'show'],
    ['legal-basis'],
    ['audit'],
    ['audit', 'verify'],
    ['request'],
    ['request', 'list'],
    ['request', 'show'],
    ['request', 'new'],
  ]) {
    const help = await cli([...args, '--help']);
    assert.equal(help.status, 0, `${args.join(' ')}: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`Usage: hanoi247 ${args.join(' ')}`), args.join(' '));
  }
});

test('directory show of an unknown State code is a clear error', async () => {
  const unknown = await cli(['directory', 'show', 'QQ']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /QQ/);
});
