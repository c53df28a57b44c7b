import type { Command } from 'commander';
import { ValidationError } from '../../shared/errors.ts';
import type { Database } from '../../store/database.ts';
import { cliActor } from '../cli-actor.ts';
import { cliEnv, cliIO, writeErr } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { withStore } from '../store-session.ts';

const SESSION_HANDLE = /^[0-9a-f]{32}$/;

/** A password from the environment, or typed without echo on a terminal. */
async function secret(envName: string, question: string): Promise<string> {
  const fromEnv = cliEnv()[envName];
  if (fromEnv !== undefined) return fromEnv;
  if (!cliIO().stdinIsTTY) {
    throw new ValidationError([{ field: envName, message: `set ${envName} (no terminal to ask on)` }]);
  }
  writeErr(question);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let typed = '';
  try {
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return typed;
        if (ch === '\u0003') throw new ValidationError([{ field: envName, message: 'cancelled' }]);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    }
    return typed;
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
    writeErr('\n');
  }
}

/** The account service, imported when a command runs (not for `--help`). */
async function accounts(database: Database) {
  const [{ createAccountService }, { systemClock }] = await Promise.all([
    import('../../auth/account-service.ts'),
    import('../../shared/clock.ts'),
  ]);
  return createAccountService(database, systemClock);
}

/** hanoi247 user passwd|reset|roles|sessions|revoke */
export function accountCommands(user: Command): void {
  user
    .command('passwd <username>')
    .description(
      'change the password of an account with its current one (HANOI247_CURRENT_PASSWORD and HANOI247_NEW_PASSWORD, or typed at the prompt); its sessions end',
    )
    .action(async (username: string) => {
      const currentPassword = await secret('HANOI247_CURRENT_PASSWORD', 'current password: ');
      const newPassword = await secret('HANOI247_NEW_PASSWORD', 'new password (12 characters or more): ');
      await withStore(async (database) => {
        const service = await accounts(database);
        await service.changePassword(await service.userIdOf(username), { currentPassword, newPassword });
        print(false, null, () => `password of ${username} changed; its sessions were ended`);
      });
    });
  user
    .command('reset <username>')
    .description(
      'reset a forgotten password: prints a one-time password to change at the next sign-in, or with --link a one-time link valid 24 h; the sessions end',
    )
    .option('--link', 'make a one-time link instead of a one-time password')
    .option('--json', 'print JSON')
    .action(async (username: string, opts: { link?: boolean; json?: boolean }) => {
      await withStore(async (database, config) => {
        const result = await (await accounts(database)).resetPassword(
          cliActor(),
          username,
          opts.link ? 'link' : 'password',
        );
        const link =
          result.mode === 'link'
            ? `${config.publicUrl.replace(/\/$/, '')}/reset-password?token=${result.token}`
            : null;
        print(Boolean(opts.json), link ? { ...result, link } : result, () =>
          result.mode === 'link'
            ? `one-time link for ${username} (valid until ${result.expiresAt}; give it privately):\n${link}`
            : `one-time password for ${username}: ${result.password}\nit must be changed at the next sign-in`,
        );
      });
    });
  user
    .command('roles <username> <roles>')
    .description(
      'replace the roles of an account, e.g. DUTY_OFFICER,APPROVER (the last administrator keeps ADMIN)',
    )
    .option('--json', 'print JSON')
    .action(async (username: string, roles: string, opts: { json?: boolean }) => {
      const parsed = (await import('../../auth/auth-service.ts')).parseRoles(
        roles
          .split(',')
          .map((r) => r.trim().toUpperCase())
          .filter(Boolean),
        'roles',
      );
      await withStore(async (database) => {
        const changed = await (await accounts(database)).setRoles(cliActor(), username, parsed);
        print(Boolean(opts.json), changed, () => `${changed.username}: ${changed.roles.join(', ')}`);
      });
    });
  user
    .command('sessions <username>')
    .description('list the open sessions and the API tokens of an account')
    .option('--json', 'print JSON')
    .action(async (username: string, opts: { json?: boolean }) => {
      await withStore(async (database) => {
        const service = await accounts(database);
        const userId = await service.userIdOf(username);
        const sessions = await service.listSessions(userId);
        const tokens = await service.listTokens(userId);
        print(Boolean(opts.json), { sessions, tokens }, () =>
          table(
            ['KIND', 'ID', 'NAME', 'CREATED', 'EXPIRES', 'STATUS'],
            [
              ...sessions.map((s) => ['session', s.id, '', s.createdAt, s.expiresAt, 'open']),
              ...tokens.map((t) => [
                'token',
                t.id,
                t.name,
                t.createdAt,
                t.expiresAt,
                t.revokedAt ? 'revoked' : 'active',
              ]),
            ],
          ),
        );
      });
    });
  user
    .command('revoke <username> <id>')
    .description('end a session or revoke an API token of an account (the ID from `user sessions`)')
    .action(async (username: string, id: string) => {
      await withStore(async (database) => {
        const service = await accounts(database);
        const userId = await service.userIdOf(username);
        if (SESSION_HANDLE.test(id)) await service.revokeSession(cliActor(), userId, id);
        else await service.revokeToken(cliActor(), userId, id);
        print(
          false,
          null,
          () => `${SESSION_HANDLE.test(id) ? 'session' : 'token'} ${id} of ${username} revoked`,
        );
      });
    });
}
