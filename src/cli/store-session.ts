import { existsSync } from 'node:fs';
import type { Config } from '../config.ts';
import type { Database } from '../store/database.ts';
import { cliEnv, writeErr } from './cli-io.ts';

/**
 * Opens the node's storage for one CLI command (migrated, audit log ready) and closes it afterwards.
 * The storage modules (PGlite, the driver, Drizzle) are imported here, when a command runs, so that
 * `--help` and commands that never touch storage start quickly.
 */
export async function withStore<T>(
  fn: (database: Database, config: Config) => Promise<T>,
  use: StoreUse = {},
): Promise<T> {
  const [{ loadConfig }, { openDatabase }, { ensureAuditState, sealAuditLog }, seal] = await Promise.all([
    import('../config.ts'),
    import('../store/database.ts'),
    import('../audit/audit-log.ts'),
    import('../audit/audit-seal.ts'),
  ]);
  const config = loadConfig(cliEnv());
  checkDataFolder(config, use);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    await database.migrate();
    await ensureAuditState(database.db);
    // With the secret, entries this command appends renew the log's seal (src/audit/audit-seal.ts);
    // a node being created (`init`) is sealed here, any other by the node's first start.
    if (config.secrets.keySecret) {
      seal.enableAuditSeal(database.db, seal.deriveAuditSealKey(config.secrets.keySecret));
      const { hasKeys } = await import('../node-identity/keyring.ts');
      if (!use.readsOnly && !(await hasKeys(database))) await sealAuditLog(database.db, new Date(), false);
    }
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

/** `readsOnly`: the command only reads, so it refuses to run on a node that does not exist yet. */
export type StoreUse = { readsOnly?: boolean };

/**
 * Never creates a node's embedded storage without saying so: a command that only reads refuses (it
 * would answer from an empty node), any other says where it keeps the data it creates.
 */
function checkDataFolder(config: Config, use: StoreUse): void {
  if (config.databaseUrl || existsSync(config.dataDir)) return;
  const unset = cliEnv().HANOI247_DATA_DIR ? '' : ' (HANOI247_DATA_DIR is not set)';
  if (use.readsOnly)
    throw Object.assign(
      new Error(
        `no node data in ${config.dataDir}${unset}: set HANOI247_DATA_DIR to the node's data folder or DATABASE_URL to its database, or create a node with \`hanoi247 init\` (or start the demo with \`npm start\`)`,
      ),
      { code: 'ERR_NO_DATA' },
    );
  writeErr(
    `hanoi247: no node data in ${config.dataDir} yet: creating it there${unset ? '; set HANOI247_DATA_DIR to keep it elsewhere' : ''}\n`,
  );
}

/** withStore for a command that only reads: it refuses to run where there is no node yet. */
export const readStore = <T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> =>
  withStore(fn, { readsOnly: true });
