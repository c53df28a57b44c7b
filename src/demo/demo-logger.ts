// Where a demo node's log goes. The demo is watched in a terminal: its banner (URLs, logins) must stay
// on screen, so by default each node's full log (one JSON line per HTTP request…) goes to a file in
// its data folder and only warnings and errors reach the console. HANOI247_DEMO_LOG chooses:
// `file` (default), `console` (everything on the console, as `serve` does) or `off` (warnings only).
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { ConfigError } from '../config.ts';
import { createLogger } from '../observability/logger.ts';

export const DEMO_LOG_MODES = ['file', 'console', 'off'] as const;
export type DemoLogMode = (typeof DEMO_LOG_MODES)[number];

export function demoLogMode(env: NodeJS.ProcessEnv): DemoLogMode {
  const mode = (env.HANOI247_DEMO_LOG ?? 'file').trim().toLowerCase();
  if ((DEMO_LOG_MODES as readonly string[]).includes(mode)) return mode as DemoLogMode;
  throw new ConfigError([`HANOI247_DEMO_LOG: '${mode}' must be one of ${DEMO_LOG_MODES.join(', ')}`]);
}

/** The log file of a demo node (mode `file`). */
export const demoLogFile = (dataDir: string): string => join(dataDir, 'node.log');

/** A demo node's logger: at `level` into its file (mode `file`), warnings and worse on stderr. */
export function createDemoLogger(mode: DemoLogMode, level: string, dataDir: string): Logger {
  if (mode === 'console') return createLogger(level);
  if (level === 'silent') return createLogger('silent');
  if (mode === 'off') return createLogger('warn', process.stderr);
  mkdirSync(dataDir, { recursive: true });
  const file = createWriteStream(demoLogFile(dataDir), { flags: 'a' });
  const lowest = pino.levels.values[level] ?? 30;
  const streams = pino.multistream([
    { level: 'warn', stream: process.stderr },
    { level: level as pino.Level, stream: file },
  ]);
  // The logger's own level is the lower of the two, so the file gets everything it asked for.
  return createLogger(lowest < 40 ? level : 'warn', streams);
}
