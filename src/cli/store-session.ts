import { ensureAuditState } from '../audit/audit-log.ts';
import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../store/database.ts';

/** Opens the node's storage for one CLI command (migrated, audit log ready) and closes it afterwards. */
export async function withStore<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
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
