import pg from 'pg';
import { randomToken } from '../../src/shared/ids.ts';
import { type Database, MIGRATIONS_FOLDER, openDatabase } from '../../src/store/database.ts';
import { templateKey } from '../../src/store/pglite-template.ts';

// Any constant: test processes running at once must build the template database once.
const TEMPLATE_LOCK_KEY = 247_0002;

/**
 * An isolated database for one test file: a fresh PostgreSQL database when DATABASE_URL is set
 * (created and dropped here), otherwise an in-memory PGlite. Both start with every migration applied,
 * PostgreSQL's as a copy of a migrated template database, as PGlite's from its image: migrating each
 * test's database anew took 1.6-2 s of every node started by the suite.
 */
export async function createTestDatabase(): Promise<Database & { url: string | null }> {
  const base = process.env.DATABASE_URL;
  if (!base) return Object.assign(await openDatabase({ databaseUrl: null, dataDir: null }), { url: null });
  const name = `h247_t_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const template = await templateDatabase(admin, base);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ databaseUrl: databaseUrl(base, name), poolSize: 5 });
  const close = database.close;
  return Object.assign(database, {
    url: databaseUrl(base, name),
    close: async () => {
      await close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  });
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The migrated template database for this checkout's migrations, built now if missing. */
async function templateDatabase(admin: pg.Client, base: string): Promise<string> {
  const name = `h247_tpl_${templateKey(MIGRATIONS_FOLDER, 'postgres')}`;
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return name;
    // Built under another name and renamed once complete, so that a cut build is never copied.
    const scratch = `${name}_build`;
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${scratch}`);
    const database = await openDatabase({ databaseUrl: databaseUrl(base, scratch), poolSize: 1 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    // A closed pool's backends may still be leaving; a template must have no connection when copied.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [scratch]);
    // When it was made, for the clean-up below.
    await admin.query(`COMMENT ON DATABASE ${scratch} IS '${Date.now()}'`);
    await admin.query(`ALTER DATABASE ${scratch} RENAME TO ${name}`);
    // Templates of other migrations may serve another checkout's suite running now: only those not
    // made for a week are dropped.
    const older = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE datname LIKE 'h247\\_tpl\\_%' AND datname <> $1
         AND shobj_description(d.oid, 'pg_database') ~ '^[0-9]+$'
         AND shobj_description(d.oid, 'pg_database')::bigint < $2`,
      [name, Date.now() - 7 * 24 * 3600_000],
    );
    for (const row of older.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
  }
}
