import { enableCompileCache } from 'node:module';
import { Command, Help } from 'commander';
import { COMMANDS, commandName, requestedCommand } from './command-table.ts';
import { resolveDependenciesDirectly } from './fast-resolve.ts';

// The modules of a command (the node: Fastify, drizzle, PGlite, the crypto; over a thousand files)
// are compiled once and kept on disk (Node's compile cache, in the system's temporary folder or
// NODE_COMPILE_CACHE): later starts skip the compilation, about half of a start.
enableCompileCache?.();
resolveDependenciesDirectly();

const program = new Command('hanoi247')
  .description('A node for the UN Convention against Cybercrime: requests, federation, audit, directory.')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nConfiguration comes from environment variables (PORT, HOST, DATABASE_URL, HANOI247_DATA_DIR,\nHANOI247_NODE_STATE, HANOI247_KEY_SECRET, ...) or a JSON file named by HANOI247_CONFIG. See README.md.',
  );

try {
  // Only the module of the command asked for is imported; the others are listed by name (see command-table.ts).
  const wanted = requestedCommand(process.argv.slice(2));
  if (wanted) (await wanted.load())(program);
  const terms = new Map<Command, string>();
  for (const entry of COMMANDS) {
    if (program.commands.some((c) => c.name() === commandName(entry))) continue;
    terms.set(program.command(commandName(entry)).description(entry.description), entry.term);
  }
  const help = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? help.subcommandTerm(cmd) });
  await program.parseAsync(process.argv);
} catch (error) {
  // Imported here: the error types it knows come with the configuration and its parsers.
  const { reportFailure } = await import('./output.ts');
  process.exitCode = reportFailure(error);
}
