// Real node processes for fault tests: `node src/cli/main.ts ...` with its own environment, on
// loopback ports, killed and restarted as an operator (or a power cut) would.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Free loopback ports, each found by the system (port 0) and released for the child to take. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export type NodeProcess = {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<number | string | null>;
  /** Sends the signal and waits for the process to end (SIGKILL after 20 s if it does not). */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
};

/** Starts `hanoi247 ARGS` as a child process with exactly this environment. */
export function spawnCli(args: string[], env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, ['src/cli/main.ts', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => {
    text += d;
  });
  child.stderr!.on('data', (d) => {
    text += d;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    child,
    output: () => text,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

/** Runs one CLI command to its end in the background (so nodes are set up side by side). */
export function runCliAsync(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['src/cli/main.ts', ...args],
      { env, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`hanoi247 ${args.join(' ')} failed (${error.code}): ${stderr}${stdout}`));
        else resolve(stdout);
      },
    );
  });
}

/** Runs one CLI command to its end; fails the test with its output when it does not exit 0. */
export function runCli(args: string[], env: Record<string, string>): string {
  const result = spawnSync(process.execPath, ['src/cli/main.ts', ...args], { env, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`hanoi247 ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Polls until every URL answers /readyz with 200, or fails with the process output after the deadline. */
export async function waitReady(urls: string[], processes: NodeProcess[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    for (const p of processes)
      if (p.child.exitCode !== null || p.child.signalCode !== null)
        throw new Error(`a node process ended before it was ready:\n${p.output()}`);
    for (const url of [...pending]) {
      const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) pending.delete(url);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `not ready after ${timeoutMs} ms: ${[...pending].join(', ')}\n${processes.map((p) => p.output()).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}
