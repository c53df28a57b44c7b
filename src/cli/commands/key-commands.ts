import type { Command } from 'commander';
import { DEFAULT_OVERLAP_DAYS } from '../../node-identity/key-overlap.ts';
import { systemClock } from '../../shared/clock.ts';
import { ValidationError } from '../../shared/errors.ts';
import { cliActor } from '../cli-actor.ts';
import { writeOut } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { readStore, withStore } from '../store-session.ts';

// Imported when a command runs, not for `--help`.
const keyring = () => import('../../node-identity/keyring.ts');

function noSecret(): Error {
  return Object.assign(
    new Error("set HANOI247_KEY_SECRET first: it unlocks the node's current keys and encrypts the new ones"),
    { code: 'ERR_NO_KEY_SECRET' },
  );
}

/** hanoi247 keys list | rotate | revoke KID | entry --url URL */
export function keyCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      "this node's key sets (Ed25519 signing, X25519 encryption); a running node picks up changes at its next start",
    );
  keys
    .command('list')
    .description('every key set, newest first, with its status (active, overlap, retired, revoked)')
    .option('--json', 'print JSON (with the public keys)')
    .action(async (opts: { json?: boolean }) => {
      await readStore(async (database) => {
        const sets = await (await keyring()).listKeySets(database, systemClock.now());
        print(Boolean(opts.json), sets, () =>
          table(
            ['SIGNING KID', 'STATUS', 'ACTIVE FROM', 'VALID UNTIL', 'REVOKED'],
            sets.map((s) => [s.kid, s.status, s.activeFrom, s.retiredAt ?? '-', s.revokedAt ?? '-']),
          ),
        );
      });
    });
  keys
    .command('rotate')
    .description(
      'make a new key set that signs from now on; the older ones stay valid for the overlap period',
    )
    .option(
      '--overlap-days <days>',
      'how long peers may still use the older keys',
      String(DEFAULT_OVERLAP_DAYS),
    )
    .option(
      '--activate-in-hours <hours>',
      'the new key set signs only from then: time to publish it in the directory first',
      '0',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { overlapDays: string; activateInHours: string; json?: boolean }) => {
      const hours = Number(opts.activateInHours);
      if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 90)
        throw new ValidationError([
          { field: '--activate-in-hours', message: 'must be a number of hours from 0 to 2160' },
        ]);
      const days = Number(opts.overlapDays);
      if (!Number.isFinite(days) || days < 0 || days > 365)
        throw new ValidationError([
          { field: '--overlap-days', message: 'must be a number of days from 0 to 365' },
        ]);
      await withStore(async (database, config) => {
        if (!config.secrets.keySecret) throw noSecret();
        const result = await (await keyring()).rotateKeySet(
          database.db,
          config.secrets.keySecret,
          systemClock,
          cliActor(),
          days * 86_400_000,
          hours * 3_600_000,
        );
        print(Boolean(opts.json), result, () =>
          [
            hours > 0
              ? `new key set ${result.kid} signs from ${result.activeFrom} (publish it in the directory before then)`
              : `new key set ${result.kid} signs from the next start of the node`,
            ...result.retiring.map((r) => `  ${r.kid} stays valid until ${r.until}`),
            'publish the new keys in the directory (`hanoi247 keys entry --url URL`) before the overlap ends',
          ].join('\n'),
        );
      });
    });
  keys
    .command('revoke <kid>')
    .description(
      'revoke a key set now (its signing or encryption kid): peers refuse it once their directory says so',
    )
    .option('--json', 'print JSON')
    // A kid is a base64url thumbprint, so one in 64 begins with "-" and would read as an option.
    .addHelpText('after', '\nA kid that begins with "-" goes after "--":  hanoi247 keys revoke -- -AbC…')
    .action(async (kid: string, opts: { json?: boolean }) => {
      await withStore(async (database) => {
        await (await keyring()).revokeKeySet(database.db, kid, systemClock, cliActor());
        print(Boolean(opts.json), { revoked: kid }, () => `revoked ${kid}; publish a directory that says so`);
      });
    });
  keys
    .command('entry')
    .description(
      "print this node's entry for the directory (a Party's 24/7 point `node`): URL and public keys",
    )
    .requiredOption('--url <url>', "where peers reach this node's API")
    .action(async (opts: { url: string }) => {
      await withStore(async (database) => {
        writeOut(
          `${JSON.stringify({ url: opts.url.replace(/\/+$/, ''), ...(await (await keyring()).loadDirectoryKeys(database)) }, null, 2)}\n`,
        );
      });
    });
}
