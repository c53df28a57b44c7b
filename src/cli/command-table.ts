import type { Command } from 'commander';

/**
 * Every top-level command, named and described here so that `hanoi247 --help` lists them without
 * importing their modules (which pull in the database, Fastify and the crypto: seconds and hundreds
 * of megabytes). A command's module is imported only when that command runs or shows its own help.
 * `term` is the command's line in the top-level help; test/cli/cli-help.test.ts checks that this
 * table matches what the modules register. Add a command: one line here.
 */
export type LazyCommand = {
  term: string;
  description: string;
  load: () => Promise<(program: Command) => void>;
};

const node = () => import('./commands/node-commands.ts').then((m) => m.nodeCommands);
const directory = () => import('./commands/directory-commands.ts').then((m) => m.directoryCommands);

export const COMMANDS: readonly LazyCommand[] = [
  {
    term: 'serve',
    description: 'start this node (configured by environment variables or HANOI247_CONFIG)',
    load: node,
  },
  {
    term: 'demo',
    description:
      'start the demo network: three demo nodes (VN, FR, SG) on PORT, PORT+1, PORT+2, each on its own embedded storage in HANOI247_DATA_DIR/<STATE>, seeded with one account per role',
    load: node,
  },
  {
    term: 'init [options]',
    description: "create this node's keys and its first administrator (HANOI247_KEY_SECRET must be set)",
    load: node,
  },
  { term: 'db', description: 'database maintenance', load: node },
  {
    term: 'user',
    description: "manage accounts (on this node's storage)",
    load: () => import('./commands/user-commands.ts').then((m) => m.userCommands),
  },
  { term: 'directory', description: 'the directory of Parties and authorities', load: directory },
  {
    term: 'legal-basis [options] <requesting> <requested>',
    description: 'every candidate legal basis for a request between two States on a date, and the scope gate',
    load: directory,
  },
  {
    term: 'keys',
    description:
      "this node's key sets (Ed25519 signing, X25519 encryption); a running node picks up changes at its next start",
    load: () => import('./commands/key-commands.ts').then((m) => m.keyCommands),
  },
  {
    term: 'audit',
    description: 'the tamper-evident audit log',
    load: () => import('./commands/audit-commands.ts').then((m) => m.auditCommands),
  },
  {
    term: 'alerts',
    description: 'the early-warning hub: import, check, export indicators',
    load: () => import('./commands/alert-commands.ts').then((m) => m.alertCommands),
  },
  {
    term: 'request',
    description: 'requests under the Convention',
    load: () => import('./commands/request-commands.ts').then((m) => m.requestCommands),
  },
  {
    term: 'evidence',
    description: 'evidence packages: upload, seal, approve, send, export and verify offline (arts. 35-36)',
    load: () => import('./commands/evidence-commands.ts').then((m) => m.evidenceCommands),
  },
  {
    term: 'exercise',
    description: 'joint exercises: validate a scenario, start or join, status, end, after-action report',
    load: () => import('./commands/exercise-commands.ts').then((m) => m.exerciseCommands),
  },
  {
    term: 'report',
    description: 'periodic implementation reports (indicators), signed by the node',
    load: () => import('./commands/report-commands.ts').then((m) => m.reportCommands),
  },
];

export const commandName = (entry: LazyCommand): string => entry.term.split(' ')[0]!;

/** The command the arguments name (`hanoi247 user list`, `hanoi247 help user`), if any. */
export function requestedCommand(args: readonly string[]): LazyCommand | undefined {
  const operands = args.filter((a) => !a.startsWith('-'));
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return COMMANDS.find((entry) => commandName(entry) === name);
}
