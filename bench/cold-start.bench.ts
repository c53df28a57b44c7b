// Cold start to /readyz on PGlite, as an operator starts a node: `hanoi247 init` then `hanoi247 serve`
// on an empty data folder (migrations, keys, first administrator), then `serve` again on the same folder.
// Baseline in the same run: a bare `node -e 0`. (The demo is a three-node network; this is one node.)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, printRows } from './lib.ts';

const PORT = 18_247;
/** The `hanoi247` command as installed (package.json "bin"): it turns on the compile cache before the CLI's own TypeScript loads. */
export const CLI = 'bin/hanoi247.mjs';

export async function waitReady(url: string, deadlineMs: number): Promise<void> {
  while (performance.now() < deadlineMs) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('node did not become ready in time');
}

function nodeEnv(dataDir: string, port = PORT): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HANOI247_DATA_DIR: dataDir,
    HANOI247_KEY_SECRET: 'bench-cold-start-key-secret',
    HANOI247_NEW_PASSWORD: 'bench-cold-start-admin',
    PORT: String(port),
    HOST: '127.0.0.1',
    HANOI247_LOG_LEVEL: 'warn',
    DATABASE_URL: '',
  };
}

/** Milliseconds from spawning `serve` (after `init` when asked, included in the time) to /readyz OK. */
export async function startOnce(
  dataDir: string,
  init: boolean,
  timeoutMs = 60_000,
  port = PORT,
): Promise<number> {
  const started = performance.now();
  if (init) {
    const result = spawnSync(process.execPath, [CLI, 'init'], { env: nodeEnv(dataDir) });
    if (result.status !== 0) throw new Error(`init failed: ${String(result.stderr)}`);
  }
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: nodeEnv(dataDir, port),
    stdio: 'ignore',
  });
  try {
    await waitReady(`http://127.0.0.1:${port}`, started + timeoutMs);
    return performance.now() - started;
  } finally {
    // A node that could not start (its port taken) has already exited: nothing to wait for.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

/** Cold start to /readyz on PGlite: a fresh data folder, then the same folder again. */
export async function coldStartBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'h247-cold-'));
  try {
    const nodeStart = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    const bare = performance.now() - nodeStart;
    const first = await startOnce(join(dir, 'data'), true);
    const restarts: number[] = [];
    for (let i = 0; i < 3; i++) restarts.push(await startOnce(join(dir, 'data'), false));
    restarts.sort((a, b) => a - b);
    const median = restarts[1]!;
    printRows('cold start to /readyz (PGlite, one node)', [
      {
        figure: 'first start: init + serve on an empty folder (migrate, keys, admin)',
        value: `${fmt(first, 0)} ms`,
        baseline: `${fmt(bare, 0)} ms bare node`,
        ratio: `${fmt(first / bare, 1)}×`,
      },
      {
        figure: 'restart: serve on the existing folder (median of 3)',
        value: `${fmt(median, 0)} ms`,
        baseline: `${fmt(bare, 0)} ms bare node`,
        ratio: `${fmt(median / bare, 1)}×`,
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
