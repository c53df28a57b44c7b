import { Command, CommanderError, Help } from 'commander';
import { type CliIO, cliIO, withCliIO } from './cli-io.ts';
import { COMMANDS, commandName, requestedCommand } from './command-table.ts';

/**
 * One run of the CLI on `args` (without the node and script paths): the exit code it ends with.
 * Never exits the process: commander's own exits (help, version, a usage error) come back as codes.
 * With `io`, the run reads and writes only there (see cli-io.ts); the binary passes none.
 */
export function runCli(args: readonly string[], io?: CliIO): Promise<number> {
  return io ? withCliIO(io, () => run(args)) : run(args);
}

async function run(args: readonly string[]): Promise<number> {
  const io = cliIO();
  const program = new Command('hanoi247')
    .description('A node for the UN Convention against Cybercrime: requests, federation, audit, directory.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nConfiguration comes from environment variables (PORT, HOST, DATABASE_URL, HANOI247_DATA_DIR,\nHANOI247_NODE_STATE, HANOI247_KEY_SECRET, ...) or a JSON file named by HANOI247_CONFIG. See README.md.',
    );
  try {
    // Only the module of the command asked for is imported; the others are listed by name (see command-table.ts).
    const wanted = requestedCommand(args);
    if (wanted) (await wanted.load())(program);
    const terms = new Map<Command, string>();
    for (const entry of COMMANDS) {
      if (program.commands.some((c) => c.name() === commandName(entry))) continue;
      terms.set(program.command(commandName(entry)).description(entry.description), entry.term);
    }
    const help = new Help();
    program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? help.subcommandTerm(cmd) });
    await program.parseAsync(args as string[], { from: 'user' });
    return io.exitCode;
  } catch (error) {
    // Commander has already said what was wrong (or shown the help it was asked for).
    if (error instanceof CommanderError) return error.exitCode;
    // Imported here: the error types it knows come with the configuration and its parsers.
    const { reportFailure } = await import('./output.ts');
    return reportFailure(error);
  }
}
