import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import type { Jwk } from '../../crypto/node-keys.ts';
import { systemClock } from '../../shared/clock.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Database } from '../../store/database.ts';
import { cliActor } from '../cli-actor.ts';
import { writeErr, writeOut } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { readStore, withStore } from '../store-session.ts';

// Imported when a command runs, not for `--help`.
const legalBasisQuery = () => import('../../legal-basis/legal-basis-query.ts');
const directoryDomain = () => import('../../domain/directory/index.ts');
const signedDirectory = () => import('../../directory/signed-directory.ts');
const directoryModule = () => import('../../directory/directory-service.ts');

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ValidationError([
      { field: file, message: `cannot read it as JSON: ${(error as Error).message}` },
    ]);
  }
}

/** The current directory, or what to do when none is loaded yet (a fresh node). */
async function currentDirectory(database: Database, config: Config) {
  const current = await (await directoryService(database, config)).currentOrNull();
  if (current) return current;
  throw Object.assign(
    new Error(
      'no directory is loaded yet: import one with `hanoi247 directory import FILE` (or `directory fetch URL`), or start the demo with `npm start`',
    ),
    { code: 'ERR_NO_DIRECTORY' },
  );
}

/** A directory file: JSON (a document, or { jws }), or the compact JWS of a signed directory. */
function readDirectoryFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ValidationError([{ field: file, message: `cannot read it: ${(error as Error).message}` }]);
  }
  if (!text.startsWith('{')) return text;
  return readJson(file);
}

async function directoryService(database: Database, config: Config, url?: string) {
  return (await directoryModule()).createDirectoryService(database, systemClock, {
    publisherKeys: config.directoryPublisherKeys,
    url: url ?? config.directoryUrl,
  });
}

/** `directory show --signed`: read-only; what an auditor compares with the publisher's copy. */
async function showSigned(opts: { json?: boolean; versionNumber?: string }): Promise<void> {
  let version: number | undefined;
  if (opts.versionNumber !== undefined) {
    version = Number(opts.versionNumber);
    if (!Number.isInteger(version) || version < 1)
      throw new ValidationError([
        { field: '--version-number', message: 'must be a directory version number' },
      ]);
  }
  await withStore(async (database, config) => {
    const signed = await (await directoryService(database, config)).signedVersion(version);
    print(Boolean(opts.json), signed, () =>
      [
        `directory version ${signed.version}, imported ${signed.importedAt} by ${signed.importedBy} from ${signed.source}`,
        `signed by publisher key ${signed.publisherKid}`,
        `issued ${signed.issuedAt}, valid until ${signed.validUntil ?? '(no end given)'}`,
        `document sha256 ${signed.sha256}`,
        `signed directory (compact JWS) sha256 ${signed.jwsSha256}:`,
        signed.jws,
      ].join('\n'),
    );
  });
}

/** hanoi247 directory import|fetch|keygen|sign|export|show, and hanoi247 legal-basis */
export function directoryCommands(program: Command): void {
  const directory = program.command('directory').description('the directory of Parties and authorities');
  directory
    .command('import <file>')
    .description(
      'make a directory the one in force (all or nothing): a JSON document, or a signed directory (compact JWS) from `directory sign`; with HANOI247_DIRECTORY_PUBLISHER_KEYS set, only a signed one',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const input = readDirectoryFile(file);
      await withStore(async (database, config) => {
        const result = await (await directoryService(database, config)).importDocument(
          cliActor(),
          input,
          `file:${file}`,
        );
        print(Boolean(opts.json), result, () =>
          result.unchanged
            ? `unchanged: version ${result.version} is already this document`
            : `imported as version ${result.version}${result.publisherKid ? ` (signed by ${result.publisherKid})` : ''}`,
        );
      });
    });
  directory
    .command('fetch [url]')
    .description('fetch the signed directory published at HANOI247_DIRECTORY_URL (or this URL) and import it')
    .option('--json', 'print JSON')
    .action(async (url: string | undefined, opts: { json?: boolean }) => {
      await withStore(async (database, config) => {
        const result = await (await directoryService(database, config, url)).refresh(cliActor());
        print(Boolean(opts.json), result, () =>
          result.unchanged
            ? `unchanged: version ${result.version} is already the published directory`
            : `imported as version ${result.version} (signed by ${result.publisherKid})`,
        );
      });
    });
  directory
    .command('keygen')
    .description(
      "make a directory publisher key (Ed25519): the private key goes to --out (keep it offline), the public trust anchor to stdout, for every node's HANOI247_DIRECTORY_PUBLISHER_KEYS",
    )
    .requiredOption('--out <file>', 'where to write the private key (refuses to overwrite)')
    .action(async (opts: { out: string }) => {
      if (existsSync(opts.out))
        throw new ValidationError([{ field: '--out', message: `${opts.out} exists; choose another file` }]);
      const { privateJwk, anchor } = await (await signedDirectory()).generatePublisherKey(systemClock.now());
      writeFileSync(opts.out, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
      writeErr(`wrote the private publisher key ${anchor.kid} to ${opts.out}\n`);
      writeOut(`${JSON.stringify({ keys: [anchor] }, null, 2)}\n`);
    });
  directory
    .command('sign <file>')
    .description(
      'sign a directory JSON document with a publisher key: a compact JWS that nodes verify before use',
    )
    .requiredOption('--key <keyfile>', 'the private publisher key (from `directory keygen`)')
    .option('--out <file>', 'write the signed directory here (default: stdout)')
    .option(
      '--valid-days <days>',
      'the document expires this many days after signing (default: as the document says)',
    )
    .option('--keep-issued-at', "keep the document's issuedAt instead of setting it to now")
    .action(
      async (
        file: string,
        opts: { key: string; out?: string; validDays?: string; keepIssuedAt?: boolean },
      ) => {
        const document = readJson(file) as Record<string, unknown>;
        const privateJwk = readJson(opts.key) as Jwk;
        if (privateJwk?.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || typeof privateJwk.d !== 'string')
          throw new ValidationError([
            { field: '--key', message: 'must be a private Ed25519 JWK (from `directory keygen`)' },
          ]);
        const now = systemClock.now();
        if (!opts.keepIssuedAt) document.issuedAt = now.toISOString();
        if (opts.validDays !== undefined) {
          const days = Number(opts.validDays);
          if (!Number.isFinite(days) || days <= 0 || days > 3660)
            throw new ValidationError([
              { field: '--valid-days', message: 'must be a number of days from 1 to 3660' },
            ]);
          document.validUntil = new Date(now.getTime() + days * 86_400_000).toISOString();
        }
        const checked = (await directoryDomain()).validateDirectory(document);
        if (!checked.ok)
          throw new ValidationError(
            checked.errors.map((e) => ({ field: `directory${e.path}`, message: e.message })),
            `The directory has ${checked.errors.length} problem${checked.errors.length === 1 ? '' : 's'}; nothing was signed.`,
          );
        const jws = await (await signedDirectory()).signDirectory(checked.value, privateJwk);
        if (opts.out) {
          writeFileSync(opts.out, `${jws}\n`);
          writeErr(`signed with ${privateJwk.kid} into ${opts.out}\n`);
        } else writeOut(`${jws}\n`);
      },
    );
  directory
    .command('export [file]')
    .description('write the directory in force as JSON (to the file, or to stdout)')
    .action(async (file: string | undefined) => {
      await withStore(async (database, config) => {
        const current = await (await directoryService(database, config)).current();
        const text = `${JSON.stringify(current.document, null, 2)}\n`;
        if (file) {
          writeFileSync(file, text);
          writeErr(`wrote version ${current.version} to ${file}\n`);
        } else writeOut(text);
      });
    });
  directory
    .command('show [code]')
    .description(
      'list the Parties, or show one Party and its authorities; --signed: the signed document of the version in force (or --version-number N) as received, with its publisher key',
    )
    .option('--json', 'print JSON')
    .option('--signed', 'show the signed directory (compact JWS) kept with the version, for an audit')
    .option(
      '--version-number <n>',
      "with --signed: this directory version instead of the one in force (--version is the CLI's own)",
    )
    .action(
      async (
        code: string | undefined,
        opts: { json?: boolean; signed?: boolean; versionNumber?: string },
      ) => {
        if (opts.signed) {
          await showSigned(opts);
          return;
        }
        await withStore(async (database, config) => {
          const { document, version } = await (await directoryService(database, config)).current();
          const banner = document.demo ? 'DEMO DATA — not a real directory\n' : '';
          if (code) {
            const party = document.parties.find((p) => p.code === code.toUpperCase());
            if (!party)
              throw new ValidationError([
                { field: 'code', message: `no Party '${code}' in directory version ${version}` },
              ]);
            print(
              Boolean(opts.json),
              { demo: document.demo, party },
              () =>
                `${banner}${party.code} ${party.name}\n` +
                table(
                  ['AUTHORITY', 'KIND', 'TIME ZONE', 'LANGUAGES'],
                  party.authorities.map((a) => [a.name, a.kind, a.timeZone, a.languages.join(',')]),
                ),
            );
            return;
          }
          print(
            Boolean(opts.json),
            {
              demo: document.demo,
              version,
              parties: document.parties.map((p) => ({ code: p.code, name: p.name })),
            },
            () =>
              `${banner}directory version ${version}\n` +
              table(
                ['CODE', 'NAME', 'UNCC DEPOSIT', 'AUTHORITIES'],
                document.parties.map((p) => [
                  p.code,
                  p.name,
                  p.convention.depositedOn ?? '-',
                  String(p.authorities.length),
                ]),
              ),
          );
        });
      },
    );

  program
    .command('legal-basis <requesting> <requested>')
    .description('every candidate legal basis for a request between two States on a date, and the scope gate')
    .requiredOption('--type <type>', 'request type, e.g. preservation, mla-stored-data')
    .option('--date <date>', 'YYYY-MM-DD (default: today)')
    .option('--offence <code...>', 'offence codes, optionally CODE:maxPenaltyMonths')
    .option('--json', 'print JSON')
    .action(
      async (
        requesting: string,
        requested: string,
        opts: { type: string; date?: string; offence?: string[]; json?: boolean },
      ) => {
        await readStore(async (database, config) => {
          const { document } = await currentDirectory(database, config);
          const date = opts.date ?? new Date().toISOString().slice(0, 10);
          const answer = (await legalBasisQuery()).answerLegalBasis(document, {
            requesting,
            requested,
            date,
            type: opts.type,
            offences: opts.offence,
          });
          print(Boolean(opts.json), answer, () =>
            [
              ...(answer.demo ? ['DEMO DATA — not a real directory'] : []),
              `${answer.requesting} → ${answer.requested}, ${answer.requestType} on ${answer.date}`,
              `primary basis: ${answer.primary ? `${answer.primary.basis}${answer.primary.treatyRef ? ` (${answer.primary.treatyRef})` : ''}` : 'none'}`,
              ...answer.candidates.map(
                (c) => `  ${c.applies ? 'yes' : 'no '} ${c.basis.padEnd(17)} ${c.reason}`,
              ),
              ...(answer.scope ? [`scope: ${answer.scope.result} — ${answer.scope.reason}`] : []),
            ].join('\n'),
          );
        });
      },
    );
}
