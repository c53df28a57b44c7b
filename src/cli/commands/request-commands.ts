import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import { REQUEST_TYPES, URGENCIES } from '../../domain/codes.ts';
import { DIRECTIONS, REQUEST_STATES } from '../../domain/requests/index.ts';
import type { RequestActor } from '../../requests/request-service.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Database } from '../../store/database.ts';
import { cliActor } from '../cli-actor.ts';
import { writeErr } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { readStore, withStore } from '../store-session.ts';

// An operator at the node's console drafts and registers requests like a duty officer or a
// central-authority officer; approval stays with approvers (four eyes), through the API.
const operator = (): RequestActor => ({ id: cliActor(), roles: ['DUTY_OFFICER', 'CENTRAL_AUTHORITY'] });

/** The request service, imported when a command runs (not for `--help`). */
async function service(database: Database, config: Config) {
  const [{ createRequestService }, { createDirectoryService }, { systemClock }] = await Promise.all([
    import('../../requests/request-service.ts'),
    import('../../directory/directory-service.ts'),
    import('../../shared/clock.ts'),
  ]);
  return createRequestService(database, systemClock, createDirectoryService(database, systemClock), {
    nodeState: config.nodeState,
    nodeSecret: config.secrets.keySecret,
  });
}

type ListOptions = {
  type?: string;
  status?: string;
  partner?: string;
  urgency?: string;
  direction?: string;
  assignedTo?: string;
  case?: string;
  overdue?: boolean;
  limit: string;
  after?: string;
  json?: boolean;
};

/** The value, when it is one of the allowed ones; a filter that can match nothing is an error, not an empty list. */
function oneOf(option: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  throw new ValidationError([{ field: option, message: `must be one of ${allowed.join(', ')}` }]);
}

/** hanoi247 request list|show|new */
export function requestCommands(program: Command): void {
  const request = program.command('request').description('requests under the Convention');
  request
    .command('list')
    .description('list requests, newest first')
    .option('--type <type>', 'request type, e.g. PRESERVATION')
    .option('--status <status>', 'state, e.g. sent')
    .option('--partner <code>', 'partner State')
    .option('--urgency <urgency>', 'ROUTINE, URGENT or EMERGENCY')
    .option('--direction <direction>', 'OUTGOING or INCOMING')
    .option('--assigned-to <user>', 'username or user id')
    .option('--case <reference>', 'the case reference, e.g. VN-2026-0042')
    .option('--overdue', 'only overdue requests')
    .option('--limit <n>', 'page size', '50')
    .option('--after <id>', 'the next cursor printed by the previous page')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw new ValidationError([{ field: 'limit', message: 'must be a whole number from 1 to 500' }]);
      }
      const filters = {
        type: oneOf('--type', opts.type?.toUpperCase(), REQUEST_TYPES),
        status: oneOf('--status', opts.status?.toLowerCase(), REQUEST_STATES),
        partnerState: opts.partner?.toUpperCase(),
        urgency: oneOf('--urgency', opts.urgency?.toUpperCase(), URGENCIES),
        direction: oneOf('--direction', opts.direction?.toUpperCase(), DIRECTIONS),
      };
      if (filters.partnerState !== undefined && !/^[A-Z]{2}$/.test(filters.partnerState)) {
        throw new ValidationError([{ field: '--partner', message: 'must be an ISO 3166 code such as FR' }]);
      }
      await readStore(async (database, config) => {
        const page = await (await service(database, config)).list({
          ...filters,
          assignedTo: opts.assignedTo,
          caseReference: opts.case,
          overdue: opts.overdue,
          after: opts.after,
          limit,
        });
        print(Boolean(opts.json), page, () =>
          [
            table(
              ['ID', 'TYPE', 'STATUS', 'URGENCY', 'PARTNER', 'CASE', 'DUE'],
              page.items.map((i) => [
                i.id,
                i.type,
                i.status,
                i.urgency,
                i.partnerState,
                i.caseReference,
                i.nextDue ? `${i.nextDue.dueAt}${i.overdue ? ' OVERDUE' : ''}` : '-',
              ]),
            ),
            ...(page.next ? [`next page: --after ${page.next}`] : []),
          ].join('\n'),
        );
      });
    });
  request
    .command('show <id>')
    .description('one request with its legal basis, deadline and timeline')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await readStore(async (database, config) => {
        const r = await (await service(database, config)).get(id);
        print(Boolean(opts.json), r, () =>
          [
            `${r.id}  ${r.type} ${r.direction.toLowerCase()} ${r.requestingState} → ${r.requestedState}`,
            `case ${r.caseReference}; status ${r.status}; urgency ${r.urgency}${r.emergencyApprovalPending ? '; SENT BEFORE APPROVAL' : ''}`,
            `legal basis: ${r.legalBasis.basis}${r.legalBasis.treatyRef ? ` (${r.legalBasis.treatyRef})` : ''} — ${r.legalBasis.reason}`,
            `scope: ${r.scope.result} — ${r.scope.reason}`,
            `due: ${r.nextDue ? `${r.nextDue.kind} by ${r.nextDue.dueAt}${r.overdue ? ' (OVERDUE)' : ''}` : '-'}`,
            ...(r.preservation
              ? [`preservation: ${r.preservation.status} until ${r.preservation.expiresAt}`]
              : []),
            `next steps: ${r.nextSteps.map((s) => s.action).join(', ') || 'none'}`,
            'timeline:',
            ...r.timeline.map((e) => `  ${e.at}  ${e.action.padEnd(24)} ${e.from ?? '-'} → ${e.to}`),
          ].join('\n'),
        );
      });
    });
  request
    .command('new')
    .description('create a draft (or register an incoming request) from a JSON file with its "type"')
    .requiredOption('--file <file>', 'the request as JSON (see GET /api/v1/request-types)')
    .option('--json', 'print JSON')
    .action(async (opts: { file: string; json?: boolean }) => {
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(opts.file, 'utf8'));
      } catch (error) {
        throw new ValidationError([
          { field: opts.file, message: `cannot read it as JSON: ${(error as Error).message}` },
        ]);
      }
      await withStore(async (database, config) => {
        const created = await (await service(database, config)).create(operator(), body);
        for (const d of created.duplicates) writeErr(`warning: ${d.message}\n`);
        const r = created.request;
        print(
          Boolean(opts.json),
          created,
          () => `created ${r.id} (${r.type}, ${r.status}) on legal basis ${r.legalBasis.basis}`,
        );
      });
    });
}
