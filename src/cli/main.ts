import { Command } from 'commander';
import { alertCommands } from './commands/alert-commands.ts';
import { auditCommands } from './commands/audit-commands.ts';
import { directoryCommands } from './commands/directory-commands.ts';
import { evidenceCommands } from './commands/evidence-commands.ts';
import { keyCommands } from './commands/key-commands.ts';
import { nodeCommands } from './commands/node-commands.ts';
import { reportCommands } from './commands/report-commands.ts';
import { requestCommands } from './commands/request-commands.ts';
import { userCommands } from './commands/user-commands.ts';
import { reportFailure } from './output.ts';

const program = new Command('hanoi247')
  .description('A node for the UN Convention against Cybercrime: requests, federation, audit, directory.')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nConfiguration comes from environment variables (PORT, HOST, DATABASE_URL, HANOI247_DATA_DIR,\nHANOI247_NODE_STATE, HANOI247_KEY_SECRET, ...) or a JSON file named by HANOI247_CONFIG. See README.md.',
  );
nodeCommands(program);
userCommands(program);
directoryCommands(program);
keyCommands(program);
auditCommands(program);
alertCommands(program);
requestCommands(program);
evidenceCommands(program);
reportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}
