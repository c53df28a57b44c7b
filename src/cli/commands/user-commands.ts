import type { Command } from 'commander';
import type { Database } from '../../store/database.ts';
import { cliActor } from '../cli-actor.ts';
import { cliEnv } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { readStore, withStore } from '../store-session.ts';
import { accountCommands } from './account-commands.ts';

/** The account service, imported when a command runs (not for `--help`). */
async function userService(database: Database) {
  const [{ createUserService }, { systemClock }] = await Promise.all([
    import('../../auth/user-service.ts'),
    import('../../shared/clock.ts'),
  ]);
  return createUserService(database, systemClock);
}

/** hanoi247 user add|list|disable|enable|totp, and the account commands (passwd, reset, roles…) */
export function userCommands(program: Command): void {
  const user = program.command('user').description("manage accounts (on this node's storage)");
  user
    .command('add <username>')
    .description('create an account; the password comes from HANOI247_NEW_PASSWORD or --password')
    .requiredOption('--roles <roles>', 'comma-separated roles, e.g. DUTY_OFFICER,APPROVER')
    .option('--name <displayName>', 'display name')
    .option(
      '--password <password>',
      'password (prefer HANOI247_NEW_PASSWORD: arguments show in process lists)',
    )
    .option('--totp', 'enrol a TOTP second factor and print its secret')
    .option('--json', 'print JSON')
    .action(
      async (
        username: string,
        opts: { roles: string; name?: string; password?: string; totp?: boolean; json?: boolean },
      ) => {
        const password = opts.password ?? cliEnv().HANOI247_NEW_PASSWORD ?? '';
        const roles = (await import('../../auth/auth-service.ts')).parseRoles(
          opts.roles
            .split(',')
            .map((r) => r.trim().toUpperCase())
            .filter(Boolean),
          'roles',
        );
        await withStore(async (database) => {
          const created = await (await userService(database)).addUser(cliActor(), {
            username,
            displayName: opts.name,
            password,
            roles,
            withTotp: opts.totp,
          });
          print(Boolean(opts.json), created, () =>
            [
              `created ${created.user.username} (${created.user.roles.join(', ')})`,
              ...(created.totpUri ? [`TOTP: ${created.totpUri}`] : []),
            ].join('\n'),
          );
        });
      },
    );
  user
    .command('list')
    .description('list accounts')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <username>', 'start after this username (paging)')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; after?: string; json?: boolean }) => {
      await readStore(async (database) => {
        const users = await (await userService(database)).list(Number(opts.limit) || 100, opts.after ?? null);
        print(Boolean(opts.json), users, () =>
          table(
            ['USERNAME', 'ROLES', 'TOTP', 'STATUS'],
            users.map((u) => [
              u.username,
              u.roles.join(','),
              u.totpEnabled ? 'yes' : 'no',
              u.disabled ? 'disabled' : 'active',
            ]),
          ),
        );
      });
    });
  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(`${verb} <username>`)
      .description(verb === 'disable' ? 'disable an account and end its sessions' : 'enable an account again')
      .option('--json', 'print JSON')
      .action(async (username: string, opts: { json?: boolean }) => {
        await withStore(async (database) => {
          const changed = await (await userService(database)).setDisabled(cliActor(), username, disabled);
          print(
            Boolean(opts.json),
            changed,
            () => `${changed.username} is now ${disabled ? 'disabled' : 'enabled'}`,
          );
        });
      });
  }
  user
    .command('totp <username>')
    .description('enrol (or replace) the TOTP second factor of an account and print its secret')
    .option('--json', 'print JSON')
    .action(async (username: string, opts: { json?: boolean }) => {
      await withStore(async (database) => {
        const enrolled = await (await userService(database)).enrolTotp(cliActor(), username);
        print(Boolean(opts.json), enrolled, () => `secret: ${enrolled.secret}\nscan: ${enrolled.uri}`);
      });
    });
  accountCommands(user);
}
