import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import type { Role } from '../../domain/codes.ts';
import { HUB_ALERT_KINDS } from '../../domain/hub-vocabulary.ts';
// The types module alone: the indicators index loads every normaliser (TypeBox, phone metadata).
import { isIndicatorType } from '../../domain/indicators/types.ts';
import { refusedValue } from '../../domain/refused-value.ts';
import { parseTlp, type TlpLevel } from '../../domain/tlp/index.ts';
import type { PublishInput } from '../../hub/alert-service.ts';
import type { HubService } from '../../hub/hub-service.ts';
import type { AlertKind, Viewer } from '../../hub/hub-types.ts';
import { NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Database } from '../../store/database.ts';
import { writeErr, writeOut } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { withStore } from '../store-session.ts';

/**
 * The hub as a member user sees it: every CLI read and write goes through that user's TLP view. An
 * import into a group shared with other nodes queues its messages; the node sends them when it runs.
 */
async function openHub(
  database: Database,
  config: Config,
  username: string,
): Promise<{ hub: HubService; viewer: Viewer }> {
  // Imported when a command runs, not when its help is printed: the hub loads Drizzle and the rest.
  const [{ findUserByUsername }, { createHubService }, { DEFAULT_FEDERATION }, { systemClock }] =
    await Promise.all([
      import('../../auth/user-store.ts'),
      import('../../hub/hub-service.ts'),
      import('../../federation/federation-service.ts'),
      import('../../shared/clock.ts'),
    ]);
  const user = await findUserByUsername(database.db, username);
  if (!user) throw new NotFoundError('User', username);
  const hub = await createHubService(database, systemClock, {
    federation: { nodeState: config.nodeState, lifetimeMs: DEFAULT_FEDERATION.lifetimeMs },
  });
  return { hub, viewer: hub.membership.viewerFor({ userId: user.id, roles: user.roles as Role[] }) };
}

function groupId(hub: HubService, nameOrId: string): string {
  const group = hub.membership.findGroup(nameOrId) ?? hub.membership.findGroupByName(nameOrId);
  if (!group) throw new ValidationError([{ field: '--group', message: `no sharing group '${nameOrId}'` }]);
  return group.id;
}

function kindOf(value: string): AlertKind {
  if (!(HUB_ALERT_KINDS as readonly string[]).includes(value))
    throw new ValidationError([{ field: '--kind', message: `use one of ${HUB_ALERT_KINDS.join(', ')}` }]);
  return value as AlertKind;
}

function tlpOf(value: string | undefined): TlpLevel | undefined {
  if (value === undefined) return undefined;
  const level = parseTlp(value);
  if (!level)
    throw new ValidationError([{ field: '--tlp', message: 'use CLEAR, GREEN, AMBER, AMBER+STRICT or RED' }]);
  return level;
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === '') && !r[0]!.startsWith('#'));
}

/** A CSV with a header naming `type` and `value` columns (others ignored): one indicator per row. */
export function indicatorsFromCsv(text: string): { type: string; value: string }[] {
  const [header, ...rows] = parseCsv(text);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const typeAt = names.indexOf('type');
  const valueAt = names.indexOf('value');
  if (typeAt < 0 || valueAt < 0)
    throw new ValidationError([
      { field: 'csv', message: 'the first line must name the columns, with "type" and "value"' },
    ]);
  const problems = [];
  const out = [];
  for (const [i, r] of rows.entries()) {
    const type = (r[typeAt] ?? '').trim();
    if (!isIndicatorType(type))
      problems.push({ field: `csv line ${i + 2}`, message: `unknown indicator type "${type}"` });
    out.push({ type, value: (r[valueAt] ?? '').trim() });
  }
  if (problems.length) throw new ValidationError(problems);
  return out;
}

/** A refusal of a CSV import names the file's lines (header is line 1), not the indicators' indexes. */
function csvLines(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  return new ValidationError(
    error.errors.map((e) => {
      const m = /^alerts\/0\/indicators\/(\d+)$/.exec(e.field);
      return m ? { ...e, field: `csv line ${Number(m[1]) + 2}` } : e;
    }),
  );
}

const stix = () => import('../../stix/stix-service.ts');

/** hanoi247 alerts import|check|export — the early-warning hub from the command line. */
export function alertCommands(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('the early-warning hub: import, check, export indicators');

  alerts
    .command('import <file>')
    .description('import a STIX 2.1 bundle (.json) or a CSV (type,value) as alerts, all or nothing')
    .requiredOption('--as <username>', 'the member user who publishes (their organisation is the source)')
    .requiredOption('--group <group>', 'sharing group, by name or id')
    .requiredOption('--kind <kind>', HUB_ALERT_KINDS.join(' | '))
    .option('--tlp <tlp>', 'TLP (STIX markings can only make it stricter; CSV default AMBER)')
    .option('--title <title>', 'alert title (CSV; STIX indicators outside any report)')
    .option('--confidence <n>', 'CSV: confidence 0-100', '50')
    .option('--country <cc>', 'for national phone numbers and bank accounts')
    .option('--skip-unsupported', 'skip values that do not parse instead of refusing the file')
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        opts: {
          as: string;
          group: string;
          kind: string;
          tlp?: string;
          title?: string;
          confidence: string;
          country?: string;
          skipUnsupported?: boolean;
          json?: boolean;
        },
      ) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new ValidationError([
            { field: file, message: `cannot read it: ${(error as Error).message}` },
          ]);
        }
        await withStore(async (database, config) => {
          const { hub, viewer } = await openHub(database, config, opts.as);
          const group = groupId(hub, opts.group);
          const kind = kindOf(opts.kind);
          const tlp = tlpOf(opts.tlp);
          const isCsv = file.toLowerCase().endsWith('.csv');
          if (isCsv) {
            const confidence = Number(opts.confidence);
            const input: PublishInput = {
              kind,
              title: opts.title ?? `Imported from ${file.split('/').pop()}`,
              confidence: Number.isInteger(confidence) ? confidence : -1,
              tlp: tlp ?? 'AMBER',
              groupId: group,
              indicators: indicatorsFromCsv(text),
              ...(opts.country ? { defaultCountry: opts.country } : {}),
            };
            if (input.confidence < 0 || input.confidence > 100)
              throw new ValidationError([
                { field: '--confidence', message: 'must be an integer from 0 to 100' },
              ]);
            if (opts.skipUnsupported) {
              const r = await hub.alerts.publish(viewer, input);
              const out = { alerts: [{ id: r.alert.id, indicators: r.accepted }], skipped: r.rejected };
              print(Boolean(opts.json), out, () =>
                [
                  `imported 1 alert with ${r.accepted} indicators; skipped ${r.rejected.length}`,
                  ...r.rejected.map((s) => `  - csv line ${s.index + 2}: ${refusedValue(s.value, s.error)}`),
                ].join('\n'),
              );
            } else {
              const created = await hub.alerts
                .publishAll(viewer, [input], `file:${file}`)
                .catch((error: unknown) => {
                  throw csvLines(error);
                });
              print(
                Boolean(opts.json),
                { alerts: created, skipped: [] },
                () => `imported 1 alert with ${created[0]!.indicators} indicators`,
              );
            }
            return;
          }
          let doc: unknown;
          try {
            doc = JSON.parse(text);
          } catch (error) {
            throw new ValidationError([{ field: file, message: `not JSON: ${(error as Error).message}` }]);
          }
          const result = await (await stix()).createStixService(hub, database).importDocument(
            viewer,
            doc,
            {
              kind,
              groupId: group,
              tlp,
              title: opts.title,
              skipUnsupported: opts.skipUnsupported,
              defaultCountry: opts.country,
            },
            `file:${file}`,
          );
          print(Boolean(opts.json), result, () =>
            [
              `read ${result.objects} object(s), kept ${result.kept}, ${result.unchanged} already held` +
                (Object.keys(result.ignoredTypes).length
                  ? `, not kept: ${Object.entries(result.ignoredTypes)
                      .map(([type, n]) => `${n} ${type}`)
                      .join(', ')}`
                  : ''),
              `imported ${result.alerts.length} alert(s), ${result.alerts.reduce((n, a) => n + a.indicators, 0)} indicators`,
              ...result.skipped.map((s) => `  skipped ${s.object}: ${s.reason}`),
            ].join('\n'),
          );
        });
      },
    );

  alerts
    .command('check <type> <value>')
    .description('is this value known? (only alerts the user may read, active and within their validity)')
    .requiredOption('--as <username>', 'the member user who asks')
    .option('--country <cc>', 'for national phone numbers and bank accounts')
    .option('--json', 'print JSON')
    .action(async (type: string, value: string, opts: { as: string; country?: string; json?: boolean }) => {
      if (!isIndicatorType(type))
        throw new ValidationError([{ field: 'type', message: `unknown indicator type "${type}"` }]);
      await withStore(async (database, config) => {
        const { hub, viewer } = await openHub(database, config, opts.as);
        const result = await hub.check.checkOne(viewer, type, value, opts.country);
        print(Boolean(opts.json), result, () =>
          result.matches.length === 0
            ? `${result.type} ${result.value}: not known`
            : `${result.type} ${result.value}: known in ${result.matches.length} alert(s)\n` +
              table(
                ['ALERT', 'KIND', 'TLP', 'CONFIDENCE', 'TITLE'],
                result.matches.map((m) => [m.alertId, m.kind, m.tlp, String(m.confidence), m.title]),
              ),
        );
      });
    });

  alerts
    .command('export [file]')
    .description('every alert the user may read as a STIX 2.1 bundle (to the file, or to stdout)')
    .requiredOption('--as <username>', 'the member user whose view is exported')
    .option('--group <group>', 'only this sharing group, by name or id')
    .option('--json', 'with FILE: print {"file","objects"} as JSON (without FILE the bundle is JSON already)')
    .action(async (file: string | undefined, opts: { as: string; group?: string; json?: boolean }) => {
      await withStore(async (database, config) => {
        const { hub, viewer } = await openHub(database, config, opts.as);
        const bundle = await (await stix())
          .createStixService(hub, database)
          .exportBundle(viewer, opts.group ? { groupId: groupId(hub, opts.group) } : {});
        const text = `${JSON.stringify(bundle, null, 2)}\n`;
        if (file) {
          writeFileSync(file, text);
          const objects = bundle.objects?.length ?? 0;
          if (opts.json) print(true, { file, objects }, () => '');
          else writeErr(`wrote ${objects} STIX objects to ${file}\n`);
        } else writeOut(text);
      });
    });
}
