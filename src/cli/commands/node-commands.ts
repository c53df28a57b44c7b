import type { Command } from 'commander';
import { cliActor } from '../cli-actor.ts';
import { cliEnv, writeErr, writeOut } from '../cli-io.ts';
import { print } from '../output.ts';
import { withStore } from '../store-session.ts';

// What each command needs is imported when it runs, not with this module: `hanoi247 serve --help`
// then answers as fast as `hanoi247 --help`, and `init` does not load the HTTP server it never starts.

/**
 * Stops on SIGTERM, SIGINT or SIGHUP: drains (see startNode's close), and exits within
 * `shutdownSeconds` whatever is still running, so a process manager never has to SIGKILL a node
 * holding its data folder. A repeated signal (a terminal sends SIGINT to the launcher and its
 * child alike) does not start a second stop.
 */
function stopOnSignals(close: () => Promise<void>, shutdownSeconds: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    writeErr(`\n${signal}: stopping (at most ${shutdownSeconds} s)\n`);
    const deadline = setTimeout(() => {
      writeErr(`still busy after ${shutdownSeconds} s (HANOI247_SHUTDOWN_SECONDS): exiting now\n`);
      process.exit(1);
    }, shutdownSeconds * 1000);
    close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        writeErr(`the stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
}

/** hanoi247 serve | demo | init | db migrate */
export function nodeCommands(program: Command): void {
  program
    .command('serve')
    .description('start this node (configured by environment variables or HANOI247_CONFIG)')
    .action(async () => {
      const [{ loadConfig }, { openDatabase }, { unlockAhead }] = await Promise.all([
        import('../../config.ts'),
        import('../../store/database.ts'),
        import('../../node-identity/kdf-hint.ts'),
      ]);
      const config = loadConfig(cliEnv());
      // The keys are derived on libuv's threads meanwhile too, from the salts noted at the last start.
      if (!config.databaseUrl) unlockAhead(config.dataDir, config.secrets.keySecret);
      // The storage starts first (PGlite: its WebAssembly and files, then postgres's own start), while
      // the rest of the node (Fastify, the routes, the services) loads.
      const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      // Reported by startNode, which awaits it; a failure while the modules load is not unhandled.
      opening.catch(() => {});
      const [{ startNode }, { federationOptionsFromEnv }] = await Promise.all([
        import('../../main.ts'),
        import('../../federation/federation-config.ts'),
      ]);
      let federation: ReturnType<typeof federationOptionsFromEnv>;
      try {
        federation = federationOptionsFromEnv(cliEnv());
      } catch (error) {
        await opening.then(
          (database) => database.close(),
          () => {},
        );
        throw error;
      }
      const node = await startNode(config, { federation, opening, backgroundAfterFirstAnswer: true });
      stopOnSignals(node.close, config.shutdownSeconds);
    });

  program
    .command('demo')
    .description(
      'start the demo network: three demo nodes (VN, FR, SG) on PORT, PORT+1, PORT+2, each on its own embedded storage in HANOI247_DATA_DIR/<STATE>, seeded with one account per role',
    )
    .action(async () => {
      const { demoBanner, startDemo } = await import('../../demo/demo-start.ts');
      const network = await startDemo(cliEnv());
      stopOnSignals(network.close, 20);
      writeOut(`${demoBanner(network)}\n`);
    });

  program
    .command('init')
    .description("create this node's keys and its first administrator (HANOI247_KEY_SECRET must be set)")
    .option('--admin <username>', 'username of the first administrator', 'admin')
    .option('--json', 'print JSON')
    .action(async (opts: { admin: string; json?: boolean }) => {
      // Loaded while withStore opens the storage (PGlite boots meanwhile); awaited once it is open.
      const loading = Promise.all([
        import('../../auth/user-service.ts'),
        import('../../auth/user-store.ts'),
        import('../../node-identity/keyring.ts'),
        import('../../shared/clock.ts'),
        import('../../shared/ids.ts'),
      ]);
      loading.catch(() => {});
      await withStore(async (database, config) => {
        const [
          { createUserService },
          { countUsers },
          { createKeySet, hasKeys, noteKeyKdfs },
          { systemClock },
          { randomToken },
        ] = await loading;
        if (!config.secrets.keySecret)
          throw Object.assign(
            new Error(
              "set HANOI247_KEY_SECRET (at least 12 characters) first: it encrypts the node's private keys",
            ),
            { code: 'ERR_NO_KEY_SECRET' },
          );
        const result: { keys: string; admin?: { username: string; password: string } } = { keys: 'existing' };
        if (!(await hasKeys(database))) {
          result.keys = await createKeySet(database.db, config.secrets.keySecret, systemClock, cliActor());
          // The node's first start derives its keys while its database boots (kdf-hint.ts).
          if (database.kind === 'pglite') await noteKeyKdfs(database, config.dataDir);
        }
        if ((await countUsers(database.db)) === 0) {
          const password = cliEnv().HANOI247_NEW_PASSWORD ?? randomToken(18);
          await createUserService(database, systemClock).addUser(cliActor(), {
            username: opts.admin,
            password,
            roles: ['ADMIN'],
          });
          result.admin = { username: opts.admin, password };
        }
        print(Boolean(opts.json), result, () =>
          [
            result.keys === 'existing'
              ? 'node keys: already present'
              : `node keys created (signing kid ${result.keys})`,
            result.admin
              ? `first administrator: ${result.admin.username} / ${result.admin.password}\nchange it: sign in to the desk and open Account, or run: hanoi247 user passwd ${result.admin.username}`
              : 'accounts: already present',
          ].join('\n'),
        );
      });
    });

  program
    .command('db')
    .description('database maintenance')
    .command('migrate')
    .description('apply pending migrations (they also run at every start)')
    .action(async () => {
      await withStore(async (database) => {
        writeOut(`migrations applied (${database.kind}: ${database.location})\n`);
      });
    });
}
