// hanoi247 report build | verify: the periodic implementation report from the command line.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Jwk } from '../../crypto/node-keys.ts';
import {
  isReportLanguage,
  REPORT_LANGUAGES,
  type ReportLanguage,
} from '../../domain/indicators-report/index.ts';
import type { RegionalAggregate } from '../../reports/regional-aggregate-document.ts';
import type { IndicatorReport } from '../../reports/report-document.ts';
import { claimedHub, isAggregateFile, verifyAggregateFile } from '../../reports/verify-aggregate.ts';
import { ReportVerificationError, verifyReportFile } from '../../reports/verify-report.ts';
import { systemClock } from '../../shared/clock.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Database } from '../../store/database.ts';
import { cliActor } from '../cli-actor.ts';
import { cliEnv, exitWith, writeErr, writeOut } from '../cli-io.ts';
import { print } from '../output.ts';
import { withStore } from '../store-session.ts';

type BuildOptions = { period: string; format: string; lang: string; out?: string; json?: boolean };

function checkBuildOptions(opts: BuildOptions): void {
  const problems = [];
  if (!['json', 'csv', 'pdf', 'html'].includes(opts.format))
    problems.push({ field: '--format', message: 'must be json, csv, pdf or html' });
  if (!isReportLanguage(opts.lang))
    problems.push({
      field: '--lang',
      message: `'${opts.lang}' is not offered: one of ${REPORT_LANGUAGES.join(', ')}`,
    });
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * The report as written: the signed JSON, or the CSV, PDF or HTML in a language. Chinese and Arabic
 * are printed from HTML (the PDF's font has no CJK glyphs, its writer does not shape Arabic), as the
 * printed request does; `pdf` in those languages writes the HTML and says so.
 */
async function rendered(
  built: { report: IndicatorReport; jws: string },
  format: string,
  lang: ReportLanguage,
): Promise<{ data: string | Uint8Array; format: string }> {
  // Imported when a report is written, not for `--help`.
  const [{ reportCsv }, { renderReportHtml }, { isPdfLanguage, renderReportPdf }] = await Promise.all([
    import('../../reports/report-csv.ts'),
    import('../../reports/report-html.ts'),
    import('../../reports/report-pdf.ts'),
  ]);
  if (format === 'csv') return { data: reportCsv(built.report, lang), format };
  if (format === 'pdf' && isPdfLanguage(lang))
    return { data: await renderReportPdf(built.report, lang), format };
  if (format === 'pdf' || format === 'html')
    return { data: renderReportHtml(built.report, lang), format: 'html' };
  return { data: `${JSON.stringify({ report: built.report, jws: built.jws }, null, 2)}\n`, format: 'json' };
}

/** Public keys from a file: a JWK, a JWK Set ({ keys }) or a directory entry's signingKeys. */
function keysFromFile(text: string): Jwk[] {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (Array.isArray(parsed.keys)) return parsed.keys as Jwk[];
  if (Array.isArray(parsed.signingKeys))
    return (parsed.signingKeys as { kid: string; publicJwk: Jwk }[]).map((k) => ({
      ...k.publicJwk,
      kid: k.kid,
    }));
  if (typeof parsed.kty === 'string') return [parsed as unknown as Jwk];
  throw new ValidationError([
    { field: '--key', message: 'must hold a JWK, a JWK Set or a directory node entry' },
  ]);
}

/** The publishing node's signing keys: its own keys for this node, else its signed directory entry. */
async function keysOfNode(database: Database, ownState: string, node: string): Promise<Jwk[]> {
  // Imported when a report is checked, not for `--help`.
  const [{ loadVerificationKeys }, { createDirectoryService }, { findPeer }] = await Promise.all([
    import('../../node-identity/keyring.ts'),
    import('../../directory/directory-service.ts'),
    import('../../federation/peers.ts'),
  ]);
  if (node === ownState) return loadVerificationKeys(database);
  const version = await createDirectoryService(database, systemClock).currentOrNull();
  const peer = version ? findPeer(version.document, node, systemClock.now()) : null;
  if (!peer) {
    throw new ReportVerificationError(
      'ERR_REPORT_SIGNATURE',
      `The directory held here lists no node for ${node}: import the current directory, or give its key with --key FILE.`,
    );
  }
  return peer.signingKeys;
}

/** The node a report names, read before its signature is checked (to find the keys). */
function claimedNode(file: unknown): string {
  const o = file as { report?: { node?: unknown }; jws?: unknown };
  if (typeof o?.report?.node === 'string') return o.report.node;
  try {
    const payload = String(o?.jws ?? file).split('.')[1] ?? '';
    return String(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).node);
  } catch {
    throw new ReportVerificationError('ERR_REPORT_FORMAT', 'This is not a signed report.');
  }
}

/** The key id in a file's JWS header (read after the signature verified with it). */
function signingKid(file: unknown): string {
  const jws = typeof file === 'string' ? file : String((file as { jws?: unknown }).jws);
  try {
    return String(JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')).kid);
  } catch {
    return 'unknown';
  }
}

/** A valid aggregate: who signed it and which member reports it sums (each verifiable on its own). */
function printAggregate(a: RegionalAggregate, kid: string, json: boolean): void {
  print(
    json,
    {
      ok: true,
      kind: 'regional-aggregate',
      region: a.region,
      hub: a.hub,
      period: a.period,
      members: a.members.map((m) => ({
        node: m.node,
        reportId: m.reportId,
        treeSize: m.treeSize,
        rootHash: m.rootHash,
      })),
    },
    () =>
      [
        `regional aggregate valid: ${a.region} ${a.period}, signed by hub ${a.hub} with key ${kid}; it sums the reports of ${a.members.length} member${a.members.length === 1 ? '' : 's'}:`,
        ...a.members.map(
          (m) => `  ${m.node}: report ${m.reportId}, audit tree size ${m.treeSize}, root ${m.rootHash}`,
        ),
      ].join('\n'),
  );
}

export function reportCommands(program: Command): void {
  const report = program
    .command('report')
    .description('periodic implementation reports (indicators), signed by the node');
  report
    .command('build')
    .description(
      'compute, sign and store the report of a period; it is public only once an approver releases it',
    )
    .requiredOption('--period <period>', 'a year (2026), quarter (2026-Q4) or month (2026-11)')
    .option(
      '--format <format>',
      'json (the signed report), csv, pdf (with charts; Chinese and Arabic are written as printable html) or html',
      'json',
    )
    .option('--lang <lang>', `language of the CSV, PDF or HTML: ${REPORT_LANGUAGES.join(', ')}`, 'en')
    .option('--out <file>', 'write the report there instead of standard output')
    .action(async (opts: BuildOptions) => {
      checkBuildOptions(opts);
      // Imported when a report is built, not for `--help`.
      const [{ loadKeyring }, { createReportService, thresholdFrom }, { createAuditService }] =
        await Promise.all([
          import('../../node-identity/keyring.ts'),
          import('../../reports/report-service.ts'),
          import('../../audit/audit-service.ts'),
        ]);
      await withStore(async (database, config) => {
        const keyring = await loadKeyring(database, config.secrets.keySecret);
        const service = createReportService({
          database,
          clock: systemClock,
          keyring,
          audit: createAuditService(database, systemClock, keyring, config.nodeState),
          nodeState: config.nodeState,
          deadlinePolicy: config.requestPolicy?.deadlines,
          threshold: thresholdFrom(cliEnv().HANOI247_REPORT_MIN_COUNT),
        });
        const built = await service.build({ id: cliActor() }, opts.period);
        const out = await rendered(built, opts.format, opts.lang as ReportLanguage);
        if (out.format !== opts.format)
          writeErr(
            `${opts.lang}: the PDF cannot print this language; written as printable HTML (open it in a browser and print).\n`,
          );
        // A PDF path for an HTML body would mislead whoever opens it: the name follows the content.
        const path = opts.out && out.format !== opts.format ? opts.out.replace(/\.pdf$/i, '.html') : opts.out;
        if (path) {
          await writeFile(path, out.data);
          writeErr(
            `report ${built.summary.id} of ${built.summary.period} built at audit tree size ${built.summary.treeSize}; written to ${path}. An approver releases it before it is public.\n`,
          );
        } else writeOut(out.data);
      });
    });
  report
    .command('verify')
    .description(
      "check a report's signature against its node's public key and its audit checkpoint, or a regional aggregate's against its hub's key; exit 0 when valid, 3 when not",
    )
    .argument(
      '<file>',
      'the signed report (JSON with report and jws) or regional aggregate (aggregate and jws)',
    )
    .option(
      '--key <file>',
      'the public key to check against (JWK, JWK Set or directory node entry) instead of the directory',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { key?: string; json?: boolean }) => {
      const raw = await readFile(file, 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw.trim();
      }
      try {
        // A regional aggregate is signed by its hub, a report by its node: the keys are the signer's.
        const aggregate = isAggregateFile(parsed);
        const signer = aggregate ? claimedHub(parsed) : claimedNode(parsed);
        const keys = opts.key
          ? keysFromFile(await readFile(opts.key, 'utf8'))
          : await withStore((database, config) => keysOfNode(database, config.nodeState, signer));
        if (aggregate) {
          printAggregate(await verifyAggregateFile(parsed, keys), signingKid(parsed), Boolean(opts.json));
          return;
        }
        const r = await verifyReportFile(parsed, keys);
        print(
          Boolean(opts.json),
          {
            ok: true,
            id: r.id,
            node: r.node,
            period: r.period.id,
            checkpoint: { treeSize: r.checkpoint.treeSize, rootHash: r.checkpoint.rootHash },
          },
          () =>
            `report valid: ${r.node} ${r.period.id} (${r.id}), signed with key ${r.checkpoint.kid}, computed at audit tree size ${r.checkpoint.treeSize}, root ${r.checkpoint.rootHash}`,
        );
      } catch (error) {
        if (!(error instanceof ReportVerificationError)) throw error;
        print(
          Boolean(opts.json),
          { ok: false, code: error.code, message: error.message },
          () => `REPORT NOT VALID (${error.code}): ${error.message}`,
        );
        exitWith(3);
      }
    });
}
