import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Database } from '../../store/database.ts';
import { cliIO, exitWith, writeErr } from '../cli-io.ts';
import { print } from '../output.ts';
import { readStore } from '../store-session.ts';

/** hanoi247 audit verify */
export function auditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      're-derive every entry, the hash chain and the signed tree heads, and check the log against the checkpoints its witnesses cosigned; exit 0 when intact, 3 when not',
    )
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--checkpoint <file>',
      "a checkpoint of this node's log saved earlier (a signed note); the log must still reach it and hash to its root (repeatable)",
      (file: string, files: string[]) => [...files, file],
      [] as string[],
    )
    .option('--no-witnesses', 'do not ask the witnesses; use the cosigned checkpoints this node kept')
    .action(async (opts: { json?: boolean; quiet?: boolean; checkpoint: string[]; witnesses: boolean }) => {
      const checkpoints = await Promise.all(
        opts.checkpoint.map(async (name) => ({ name, note: await readFile(name, 'utf8') })),
      );
      // Imported when the check runs, not for `--help`.
      const [
        { CheckpointFileError, verifyWithWitnesses },
        { nativeAuditHash },
        { directoryReader },
        { loadVerificationKeys },
      ] = await Promise.all([
        import('../../audit/verify-witnessed.ts'),
        import('../../crypto/native-audit-hash.ts'),
        import('../../federation/directory-reader.ts'),
        import('../../node-identity/keyring.ts'),
      ]);
      await readStore(async (database, config) => {
        const started = performance.now();
        const keys = await loadVerificationKeys(database);
        const sealKey = await sealKeyOf(database, config.secrets.keySecret);
        const progress =
          opts.quiet || !cliIO().stderr.isTTY ? undefined : (n: number) => writeErr(`\rchecked ${n} entries`);
        let result: Awaited<ReturnType<typeof verifyWithWitnesses>>;
        try {
          result = await verifyWithWitnesses(database, {
            nodeState: config.nodeState,
            keys,
            document: await directoryReader()(database.db).catch(() => null),
            checkpoints,
            askWitnesses: opts.witnesses,
            ...(sealKey ? { sealKey } : {}),
            now: new Date(),
            onProgress: progress,
          });
        } catch (error) {
          if (!(error instanceof CheckpointFileError)) throw error;
          writeErr(`hanoi247: ${error.message}\n`);
          exitWith(2);
          return;
        }
        if (progress) writeErr('\n');
        const seconds = (performance.now() - started) / 1000;
        // Said, because without the native checker a large log takes several times longer.
        const hashing = nativeAuditHash
          ? 'native'
          : 'node:crypto (the native checker is not built: npm install builds it)';
        print(
          Boolean(opts.json),
          { ...result, seconds, hashing: nativeAuditHash ? 'native' : 'node:crypto' },
          () =>
            result.ok
              ? `audit log intact: ${result.entries} entries, ${result.treeHeadsChecked} signed tree heads and checkpoints checked, root ${result.rootHash} (${seconds.toFixed(2)} s, hashing ${hashing})\n${witnessLine(result.witnessed)}\n${sealLine(result.sealChecked, config.secrets.keySecret !== null)}`
              : `AUDIT LOG DAMAGED at entry ${result.firstProblem!.seq} (${result.firstProblem!.kind}): ${result.firstProblem!.message}`,
        );
        if (!result.ok) exitWith(3);
      });
    });
}

/**
 * The seal key when the secret is set and unlocks this node's keys: a wrong secret would call every
 * seal forged, so it is tried on the keys first (one key derivation).
 */
async function sealKeyOf(database: Database, secret: string | null): Promise<Buffer | undefined> {
  if (!secret) return undefined;
  const [{ loadKeyring }, { deriveAuditSealKey }] = await Promise.all([
    import('../../node-identity/keyring.ts'),
    import('../../audit/audit-seal.ts'),
  ]);
  try {
    await loadKeyring(database, secret);
  } catch {
    return undefined;
  }
  return deriveAuditSealKey(secret);
}

function sealLine(checked: boolean, secretSet: boolean): string {
  if (checked) return "sealed: the log's state carries the seal of this node's key secret";
  return secretSet
    ? 'sealed: NOT CHECKED: HANOI247_KEY_SECRET does not unlock this node, or the node has not sealed its log yet'
    : 'sealed: NOT CHECKED (HANOI247_KEY_SECRET is not set): entries appended after the newest witnessed checkpoint are not vouched for';
}

function witnessLine(w: { checkpoints: { size: number; source: string }[]; unreachable: string[] }): string {
  const newest = w.checkpoints[0];
  const unreachable = w.unreachable.length > 0 ? `; not reachable: ${w.unreachable.join(', ')}` : '';
  return newest
    ? `witnessed: ${w.checkpoints.length} cosigned checkpoints, the newest at ${newest.size} entries (${newest.source})${unreachable}`
    : `witnessed: NO cosigned checkpoint found: a cut or rewrite of the whole log would not show${unreachable}`;
}
