// hanoi247 evidence add|list|seal|approve|send|export|verify. All but `verify` talk to a running node as
// an officer (an API token in HANOI247_TOKEN): evidence belongs to the officers of a case, and the
// node records every step in its chain of custody. `verify` needs no node at all.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Jwk } from '../../crypto/node-keys.ts';
import { type ApiAccess, exportForHandDelivery, exportPackage } from '../../evidence/export-client.ts';
import { README_LANGUAGES, type ReadmeLanguage } from '../../evidence/export-readme.ts';
import { verifyExport } from '../../evidence/offline-verify.ts';
import { createUpload, uploadFile } from '../../evidence/tus-client.ts';
import { ValidationError } from '../../shared/errors.ts';
import { cliEnv, exitWith, writeErr } from '../cli-io.ts';
import { print, table } from '../output.ts';

type Connection = { url: string; token?: string };

function access(options: Connection): ApiAccess {
  const token = options.token ?? cliEnv().HANOI247_TOKEN;
  if (!token)
    throw new ValidationError([
      { field: '--token', message: 'an API token of an officer of the case is needed (or HANOI247_TOKEN)' },
    ]);
  return { baseUrl: options.url.replace(/\/$/, ''), headers: { authorization: `Bearer ${token}` } };
}

async function call<T>(api: ApiAccess, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: { ...api.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await response.json().catch(() => null);
  if (!response.ok) {
    const fields = (parsed?.errors ?? []).map(
      (e: { field: string; message: string }) => `\n  - ${e.field}: ${e.message}`,
    );
    throw Object.assign(
      new Error(
        `${parsed?.detail ?? response.statusText} (${parsed?.code ?? response.status})${fields.join('')}`,
      ),
      {
        code: parsed?.code ?? 'ERR_HTTP',
      },
    );
  }
  return parsed as T;
}

function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'the node', cliEnv().HANOI247_URL ?? 'http://127.0.0.1:8247')
    .option('--token <token>', 'API token (default: HANOI247_TOKEN)')
    .option('--json', 'print JSON');
}

const human = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GiB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MiB`
      : `${n} B`;

export function evidenceCommands(program: Command): void {
  const evidence = program
    .command('evidence')
    .description('evidence packages: upload, seal, approve, send, export and verify offline (arts. 35-36)');

  withConnection(
    evidence
      .command('add <request> <files...>')
      .description('upload files as evidence items of a request (resumable; constant memory)')
      .requiredOption('--description <text>', 'what the files are')
      .requiredOption('--source <text>', 'provider or custodian the data came from')
      .requiredOption('--acquired-by <name>', 'the officer who acquired it')
      .option('--acquired-at <iso>', 'when it was acquired (default: now)')
      .option('--custodian <text>', 'who held it')
      .option('--order <text>', 'the domestic order or measure that obtained it')
      .option('--personal-data <categories>', 'e.g. "CONTACT COMMUNICATIONS_CONTENT"', 'NONE')
      .option('--media-type <type>', 'media type (default application/octet-stream)'),
  ).action(async (requestId: string, files: string[], o) => {
    const api = access(o);
    const added: { file: string; itemId: string; size: number }[] = [];
    for (const file of files) {
      const { size } = await stat(file);
      const uploadId = await createUpload({ baseUrl: api.baseUrl, headers: api.headers }, requestId, size, {
        filename: basename(file),
        filetype: o.mediaType,
        description: o.description,
        source: o.source,
        custodian: o.custodian,
        domesticOrder: o.order,
        acquiredAt: o.acquiredAt ?? new Date().toISOString(),
        acquiredBy: o.acquiredBy,
        personalData: o.personalData,
      });
      const itemId = await uploadFile(
        {
          baseUrl: api.baseUrl,
          headers: api.headers,
          onProgress: (offset, length) =>
            writeErr(`\r${basename(file)}: ${human(offset)} / ${human(length)}   `),
        },
        uploadId,
        file,
      );
      writeErr('\n');
      added.push({ file, itemId, size });
    }
    print(o.json === true, added, () =>
      table(
        ['file', 'item', 'size'],
        added.map((a) => [a.file, a.itemId, human(a.size)]),
      ),
    );
  });

  withConnection(
    evidence.command('list <request>').description("a request's evidence items and packages"),
  ).action(async (requestId: string, o) => {
    const list = await call<{
      items: { id: string; fileName: string; size: number; sha256: string }[];
      packages: { id: string; status: string; merkleRoot: string }[];
    }>(access(o), 'GET', `/api/v1/requests/${requestId}/evidence`);
    print(o.json === true, list, () =>
      [
        table(
          ['item', 'file', 'size', 'SHA-256'],
          list.items.map((i) => [i.id, i.fileName, human(i.size), i.sha256]),
        ),
        '',
        table(
          ['package', 'status', 'Merkle root'],
          list.packages.map((p) => [p.id, p.status, p.merkleRoot]),
        ),
      ].join('\n'),
    );
  });

  withConnection(
    evidence
      .command('seal <request>')
      .description('seal items into a package signed by the node (default: every item not yet sealed)')
      .option('--item <id...>', 'items to seal, in order')
      .option('--supersedes <package>', 'the package this one corrects')
      .option('--retention-days <n>', 'days the node keeps the bytes')
      .option('--condition <text...>', 'conditions of use beyond speciality and onward transfer'),
  ).action(async (requestId: string, o) => {
    const sealed = await call<{ id: string; merkleRoot: string }>(
      access(o),
      'POST',
      `/api/v1/requests/${requestId}/evidence/packages`,
      {
        ...(o.item ? { itemIds: o.item } : {}),
        ...(o.supersedes ? { supersedes: o.supersedes } : {}),
        ...(o.retentionDays ? { retentionDays: Number(o.retentionDays) } : {}),
        ...(o.condition ? { conditions: o.condition } : {}),
      },
    );
    print(
      o.json === true,
      sealed,
      () =>
        `sealed package ${sealed.id}, Merkle root ${sealed.merkleRoot}; a second officer approves it next`,
    );
  });

  withConnection(
    evidence.command('approve <package>').description('approve a sealed package (not its sealer)'),
  ).action(async (packageId: string, o) => {
    const approved = await call<{ id: string; status: string }>(
      access(o),
      'POST',
      `/api/v1/evidence/packages/${packageId}/approve`,
    );
    print(o.json === true, approved, () => `package ${approved.id} is ${approved.status}`);
  });

  withConnection(
    evidence
      .command('send <package>')
      .description(
        'send an approved package to the requesting node over federation (run again to resume a cut transfer)',
      )
      .option(
        '--onward-to <state>',
        "send a package received from another State on to this third State's node, once the originating State consented (art. 36)",
      )
      .option('--request <id>', 'with --onward-to: the request with the third State the package answers'),
  ).action(async (packageId: string, o) => {
    if ((o.onwardTo === undefined) !== (o.request === undefined))
      throw new Error('--onward-to and --request go together');
    const sent = await call<{
      packageId: string;
      toState?: string;
      sent: number;
      skipped: number;
      resent: number;
    }>(
      access(o),
      'POST',
      `/api/v1/evidence/packages/${packageId}/${o.onwardTo ? 'onward' : 'send'}`,
      o.onwardTo ? { toState: String(o.onwardTo).toUpperCase(), requestId: o.request } : undefined,
    );
    const to = sent.toState ? `${sent.toState}'s node` : 'the receiving node';
    print(
      o.json === true,
      sent,
      () =>
        `package ${sent.packageId} delivered and verified by ${to}: ${sent.sent} chunks sent, ${sent.skipped} already there, ${sent.resent} sent again`,
    );
  });

  withConnection(
    evidence
      .command('export <package> <dir>')
      .description('write an approved package to a folder for offline verification or hand delivery')
      .requiredOption('--recipient <text>', 'who receives the export (recorded in the chain of custody)')
      .option(
        '--for-hand-delivery',
        'write one archive (tar) for a partner without a node: manifest, files, custody, instructions in its language; the delivery is recorded',
      )
      .option('--to-state <code>', 'with --for-hand-delivery: the partner State (ISO 3166 alpha-2)')
      .option(
        '--language <lang>',
        `README language: ${README_LANGUAGES.join(', ')} (default: the recipient State's)`,
      ),
  ).action(async (packageId: string, dir: string, o) => {
    if (o.language && !(README_LANGUAGES as readonly string[]).includes(o.language))
      throw new ValidationError([
        { field: '--language', message: `must be one of ${README_LANGUAGES.join(', ')}` },
      ]);
    if (o.forHandDelivery) {
      if (!/^[A-Z]{2}$/.test(o.toState ?? ''))
        throw new ValidationError([
          { field: '--to-state', message: 'a hand delivery names the partner State, e.g. --to-state SN' },
        ]);
      const delivered = await exportForHandDelivery(access(o), packageId, dir, {
        recipient: o.recipient,
        toState: o.toState,
        language: o.language as ReadmeLanguage | undefined,
      });
      print(
        o.json === true,
        delivered,
        () =>
          `wrote ${delivered.archive} for hand delivery to ${delivered.toState} (instructions in ${delivered.language}); recorded as audit entry ${delivered.auditSeq}`,
      );
      return;
    }
    const result = await exportPackage(access(o), packageId, dir, {
      recipient: o.recipient,
      language: o.language as ReadmeLanguage | undefined,
    });
    print(
      o.json === true,
      result,
      () => `exported ${result.files} file(s) to ${result.dir} (README in ${result.language})`,
    );
  });

  evidence
    .command('verify <dir>')
    .description('check an exported package offline: signature, file hashes, Merkle roots, custody proofs')
    .option(
      '--key <file>',
      "the sender's public signing key (JWK, or a JSON list of JWKs) from the signed directory",
    )
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { key?: string; json?: boolean }) => {
      let trustedKeys: Jwk[] | undefined;
      if (o.key) {
        const parsed = JSON.parse(await readFile(o.key, 'utf8')) as Jwk | Jwk[];
        trustedKeys = Array.isArray(parsed) ? parsed : [parsed];
      }
      const result = await verifyExport(dir, trustedKeys ? { trustedKeys } : {});
      print(o.json === true, result, () =>
        [
          ...result.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}: ${c.detail}`),
          result.ok ? `\npackage ${result.packageId} verifies` : '\nthe package does NOT verify',
        ].join('\n'),
      );
      if (!result.ok) exitWith(2);
    });
}
