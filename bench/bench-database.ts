import pg from 'pg';
import { ensureAuditState } from '../src/audit/audit-log.ts';
import { randomToken } from '../src/shared/ids.ts';
import { type Database, openDatabase } from '../src/store/database.ts';
import { benchDatabaseUrl } from './lib.ts';

/** A fresh, migrated database of each kind for one benchmark; PostgreSQL is skipped when it does not answer. */
export async function benchDatabases(): Promise<
  { name: string; database: Database; dispose(): Promise<void> }[]
> {
  const out: { name: string; database: Database; dispose(): Promise<void> }[] = [];
  const lite = await openDatabase({ databaseUrl: null, dataDir: null });
  await lite.migrate();
  await ensureAuditState(lite.db);
  out.push({ name: 'PGlite', database: lite, dispose: () => lite.close() });
  const base = benchDatabaseUrl();
  try {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    const name = `h247_bench_${randomToken(5)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    await database.migrate();
    await ensureAuditState(database.db);
    out.push({
      name: 'PostgreSQL',
      database,
      dispose: async () => {
        await database.close();
        const dropper = new pg.Client({ connectionString: base });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    });
  } catch (error) {
    process.stdout.write(`(PostgreSQL skipped: ${(error as Error).message})\n`);
  }
  return out;
}
