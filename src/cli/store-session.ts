import type { Config } from '../config.ts';
import type { Database } from '../store/database.ts';

/**
 * Opens the node's storage for one CLI command (migrated, audit log ready) and closes it afterwards.
 * The storage modules (PGlite, the driver, Drizzle) are imported here, when a command runs, so that
 * `--help` and commands that never touch storage start quickly.
 */
export async function withStore<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { openDatabase }, { ensureAuditState }] = await Promise.all([
    import('../config.ts'),
    import('../store/database.ts'),
    import('../audit/audit-log.ts'),
  ]);
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    await database.migrate();
    await ensureAuditState(database.db);
    return await fn(database, config);
  } finally {
    await database.close();
  }
}
