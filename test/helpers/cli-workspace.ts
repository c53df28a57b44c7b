import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import { buildDemoDirectory } from '../../src/domain/directory/index.ts';
import { createTestDatabase } from './test-database.ts';
import { TEST_KEY_SECRET } from './test-node.ts';

export type CliResult = { status: number | null; stdout: string; stderr: string };

/**
 * The CLI as an operator runs it, on its own storage — a data folder for PGlite, or a fresh
 * PostgreSQL database when DATABASE_URL is set. Call `open` in `before`, `close` in `after`.
 * `cli` runs a command in this process through the CLI's own entry (runCli: the same commands, the
 * same storage opened and closed by each command, the same crypto) with its own environment and
 * output: a process start loads some 2,000 modules, seconds on a loaded machine, for each command.
 * `spawn` runs the real binary in a process of its own, for what only a process shows (another
 * process on a data folder in use, the binary's exit).
 */
export function cliWorkspace(prefix: string) {
  const work = mkdtempSync(join(tmpdir(), `h247-${prefix}-`));
  const env: Record<string, string> = {};
  let dropDatabase: (() => Promise<void>) | null = null;
  return {
    work,
    env,
    async open(): Promise<void> {
      Object.assign(env, process.env, {
        HANOI247_KEY_SECRET: TEST_KEY_SECRET,
        HANOI247_DATA_DIR: join(work, 'data'),
        HANOI247_LOG_LEVEL: 'silent',
      });
      if (process.env.DATABASE_URL) {
        const database = await createTestDatabase();
        env.DATABASE_URL = database.url!;
        // Keep the database but release this process's connections: the CLI opens its own.
        dropDatabase = database.close;
      }
    },
    async close(): Promise<void> {
      await dropDatabase?.();
      rmSync(work, { recursive: true, force: true });
    },
    cli: (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> =>
      runInProcess(args, { ...env, ...extraEnv }),
    spawn(args: string[], extraEnv: Record<string, string> = {}): CliResult {
      const result = spawnSync(process.execPath, ['src/cli/main.ts', ...args], {
        env: { ...env, ...extraEnv },
        encoding: 'utf8',
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    /** Writes `value` as JSON into the workspace and returns its path. */
    file(name: string, value: unknown): string {
      const path = join(work, name);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    },
  };
}

/** One CLI run in this process on `env`: what it wrote to stdout and stderr, and its exit code. */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => ({
    write: (chunk: string | Uint8Array) => {
      out[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  });
  const status = await runCli(args, {
    env,
    stdout: sink('stdout'),
    stderr: sink('stderr'),
    stdinIsTTY: false,
    exitCode: 0,
  });
  return { status, ...out };
}

/**
 * Writes the demo directory into the workspace (`plain`) and signs it with the publisher key in
 * `keyFile` by `directory sign`, into `signedFile`.
 */
export async function signDemoDirectory(
  workspace: CliWorkspace,
  keyFile: string,
  signedFile: string,
): Promise<CliResult & { plain: string }> {
  const plain = workspace.file('directory.json', buildDemoDirectory());
  const args = ['directory', 'sign', plain, '--key', keyFile, '--out', signedFile, '--valid-days', '30'];
  return { ...(await workspace.cli(args)), plain };
}

export type CliWorkspace = ReturnType<typeof cliWorkspace>;
