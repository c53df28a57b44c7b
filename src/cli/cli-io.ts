import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where a CLI run reads its environment and writes its output, and the exit code it ends with.
 * The binary's run is the process's own (process.env, stdout, stderr, process.exitCode); a run
 * started with runCli(args, io) (src/cli/program.ts) inside another program, as the tests do,
 * has its own, so that many runs can share one process without sharing its globals.
 */
export type CliIO = {
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  /** A terminal to ask a password on. */
  stdinIsTTY: boolean;
  exitCode: number;
};

const processIO: CliIO = {
  get env() {
    return process.env;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  get stdinIsTTY() {
    return Boolean(process.stdin.isTTY);
  },
  get exitCode() {
    return Number(process.exitCode ?? 0);
  },
  set exitCode(code: number) {
    process.exitCode = code;
  },
};

const runs = new AsyncLocalStorage<CliIO>();

/** The io of the CLI run this code belongs to; the process's own outside runCli. */
export const cliIO = (): CliIO => runs.getStore() ?? processIO;

/** The CLI's environment (process.env for the binary). */
export const cliEnv = (): NodeJS.ProcessEnv => cliIO().env;

export const writeOut = (text: string | Uint8Array): void => void cliIO().stdout.write(text);
export const writeErr = (text: string): void => void cliIO().stderr.write(text);

/** The exit code the run ends with, unless a failure gives it another. */
export function exitWith(code: number): void {
  cliIO().exitCode = code;
}

/** Runs `fn` as a CLI run on `io`: what it and its callbacks read and write goes through `io`. */
export const withCliIO = <T>(io: CliIO, fn: () => Promise<T>): Promise<T> => runs.run(io, fn);
