import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Command, Help } from 'commander';
import { COMMANDS, commandName, requestedCommand } from '../../src/cli/command-table.ts';

// `hanoi247 --help` lists the commands from a table without importing their modules; the table must
// say exactly what the modules register, in the same order.
test('the lazy command table matches what the command modules register', async () => {
  const eager = new Command('hanoi247');
  const loaders = [...new Set(COMMANDS.map((entry) => entry.load))];
  for (const load of loaders) (await load())(eager);
  const help = new Help();
  assert.deepEqual(
    eager.commands.map((c) => ({ term: help.subcommandTerm(c), description: c.description() })),
    COMMANDS.map((entry) => ({ term: entry.term, description: entry.description })),
  );
});

test('the command named in the arguments is found, also after `help`', () => {
  assert.equal(commandName(requestedCommand(['user', 'list', '--json'])!), 'user');
  assert.equal(commandName(requestedCommand(['help', 'legal-basis'])!), 'legal-basis');
  assert.equal(requestedCommand(['--help']), undefined);
  assert.equal(requestedCommand(['no-such-command']), undefined);
});

const run = (args: string[]) =>
  spawnSync(process.execPath, ['src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env } });

test('--help lists every command with its description; a command still shows its own help', () => {
  const top = run(['--help']);
  assert.equal(top.status, 0, top.stderr);
  for (const entry of COMMANDS) assert.ok(top.stdout.includes(entry.term), entry.term);
  const legal = run(['help', 'legal-basis']);
  assert.equal(legal.status, 0, legal.stderr);
  assert.match(legal.stdout, /--type <type>/);
  const unknown = run(['no-such-command']);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /unknown command 'no-such-command'/);
});

/** The modules a CLI run loads, as URLs (a resolve hook registered before the CLI starts). */
function modulesLoadedBy(args: string[]): string[] {
  const hook = [
    "import { registerHooks } from 'node:module';",
    'const seen = new Set();',
    'registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.add(r.url); return r; } });',
    "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify([...seen]) + '\\n'));",
  ].join('\n');
  const out = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, 'src/cli/main.ts', ...args],
    { encoding: 'utf8', env: { ...process.env } },
  );
  assert.equal(out.status, 0, out.stderr);
  const line = out.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  assert.ok(line, out.stderr);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

// Speed without a stopwatch: `alerts --help` loads what the top-level help loads plus the command's
// own small modules, and none of the storage (Drizzle, PGlite, the PostgreSQL driver) nor TypeBox,
// which its option text used to pull in through the hub's schema (src/store/schema/hub.ts).
test('`alerts --help` loads no storage module and names the alert kinds', () => {
  const heavy = /\/node_modules\/(drizzle-orm|@electric-sql\/pglite|pg|postgres|typebox)\//;
  const top = modulesLoadedBy(['--help']);
  assert.deepEqual(
    top.filter((u) => heavy.test(u)),
    [],
  );
  for (const args of [
    ['alerts', '--help'],
    ['alerts', 'import', '--help'],
  ]) {
    const loaded = modulesLoadedBy(args);
    assert.deepEqual(
      loaded.filter((u) => heavy.test(u)),
      [],
      args.join(' '),
    );
    const extra = loaded.filter((u) => !top.includes(u) && !u.startsWith('node:'));
    assert.ok(extra.length <= 15, `${args.join(' ')} loads ${extra.length} more modules: ${extra.join(' ')}`);
  }
  const help = run(['alerts', 'import', '--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(
    help.stdout,
    /--kind <kind>\s+scam_campaign \| ransomware \| crypto_fraud \|\s+csam_infrastructure/,
  );
});
