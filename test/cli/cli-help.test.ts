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
