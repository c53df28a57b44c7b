import pg from 'pg';
import { randomToken } from '../../src/shared/ids.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';

/**
 * An isolated database for one test file: a fresh PostgreSQL database when DATABASE_URL is set
 * (created and dropped here), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<Database & { url: string | null }> {
  const base = process.env.DATABASE_URL;
  if (!base) return Object.assign(await openDatabase({ databaseUrl: null, dataDir: null }), { url: null });
  const name = `h247_t_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  const close = database.close;
  return Object.assign(database, {
    url: url.toString(),
    close: async () => {
      await close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  });
}
