import pg from 'pg';
import { appendAudit, ensureAuditState } from '../src/audit/audit-log.ts';
import { randomToken } from '../src/shared/ids.ts';
import { type Database, type Db, openDatabase } from '../src/store/database.ts';
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

/** Appends `count` small audit entries (objects 1…count), one transaction each, as a node's steps do. */
export async function appendBenchEntries(
  db: Db,
  count: number,
  now: () => Date = () => new Date(),
): Promise<void> {
  for (let i = 1; i <= count; i++)
    await db.transaction((tx) =>
      appendAudit(
        tx,
        { actor: 'bench', action: 'bench.append', objectType: 'thing', objectId: String(i), payload: { i } },
        now(),
      ),
    );
}
