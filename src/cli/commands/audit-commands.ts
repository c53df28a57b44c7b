import type { Command } from 'commander';
import { verifyAuditLog } from '../../audit/verify-audit.ts';
import { nativeAuditHash } from '../../crypto/native-audit-hash.ts';
import { loadVerificationKeys } from '../../node-identity/keyring.ts';
import { print } from '../output.ts';
import { readStore } from '../store-session.ts';

/** hanoi247 audit verify */
export function auditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      're-derive every entry, the hash chain and the signed tree heads; exit 0 when intact, 3 when not',
    )
    .option('--json', 'print JSON')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: { json?: boolean; quiet?: boolean }) => {
      await readStore(async (database) => {
        const started = performance.now();
        const keys = await loadVerificationKeys(database);
        const progress =
          opts.quiet || !process.stderr.isTTY
            ? undefined
            : (n: number) => process.stderr.write(`\rchecked ${n} entries`);
        const result = await verifyAuditLog(database, keys, progress);
        if (progress) process.stderr.write('\n');
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
              ? `audit log intact: ${result.entries} entries, ${result.treeHeadsChecked} signed tree heads checked, root ${result.rootHash} (${seconds.toFixed(2)} s, hashing ${hashing})`
              : `AUDIT LOG DAMAGED at entry ${result.firstProblem!.seq} (${result.firstProblem!.kind}): ${result.firstProblem!.message}`,
        );
        if (!result.ok) process.exitCode = 3;
      });
    });
}
