// How fast hanoi247 starts, each figure beside a bare `node -e 0` measured in the same run:
// `hanoi247 --help` and a command's own `--help` (time and peak memory), one node on PGlite (first
// start and restart to /readyz, see cold-start.bench.ts) and the three-node demo (first start and
// restart, until every node is ready). A first start copies the migrated PGlite template
// (src/store/pglite-template.ts), made once by an earlier start; the bench makes it before timing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, startOnce, waitReady } from './cold-start.bench.ts';
import { fmt, printRows, type Row } from './lib.ts';

const DEMO_PORT = 18_347;
// Not cold-start's port: the two benches may run at once on a shared machine.
const NODE_PORT = 18_447;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Milliseconds and peak resident memory (KB) of one run of node with `args`. The memory comes from
 * GNU time (`/usr/bin/time -f %M`) where installed; the same wrapper runs the baseline.
 */
function timeRun(args: string[]): { ms: number; maxRssKb: number } {
  const gnuTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, maxRssKb: gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN };
}

/** Milliseconds from spawning `hanoi247 demo` to every demo node answering /readyz. */
async function demoStart(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'demo'], {
    env: { ...process.env, HANOI247_DATA_DIR: dataDir, PORT: String(DEMO_PORT), DATABASE_URL: '' },
    stdio: 'ignore',
  });
  try {
    for (let i = 0; i < 3; i++) await waitReady(`http://127.0.0.1:${DEMO_PORT + i}`, started + 300_000);
    return performance.now() - started;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

export async function startupBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'h247-startup-'));
  try {
    const bareRuns = Array.from({ length: 5 }, () => timeRun(['-e', '0']));
    const helpRuns = Array.from({ length: 5 }, () => timeRun([CLI, '--help']));
    // A command's own help: its module is imported, but not what its actions need.
    const subRuns = ['request', 'user', 'serve', 'directory', 'keys'].map((name) => ({
      name,
      ms: median(Array.from({ length: 3 }, () => timeRun([CLI, name, '--help']).ms)),
    }));
    const bare = median(bareRuns.map((r) => r.ms));
    const bareRss = median(bareRuns.map((r) => r.maxRssKb));
    const against = (ms: number): Pick<Row, 'baseline' | 'ratio'> => ({
      baseline: `${fmt(bare, 0)} ms bare node`,
      ratio: `${fmt(ms / bare, 1)}×`,
    });
    const help = median(helpRuns.map((r) => r.ms));
    const helpRss = median(helpRuns.map((r) => r.maxRssKb));
    // With no migrated template (migrations changed since `npm install`, which makes it), the first
    // node makes it (in a folder of this run's own); every later new node, the demo's too, copies it.
    const savedTemplateDir = process.env.HANOI247_TEMPLATE_DIR;
    process.env.HANOI247_TEMPLATE_DIR = join(dir, 'template');
    const firstEver = await startOnce(join(dir, 'first-node'), true, 300_000, NODE_PORT);
    const first = await startOnce(join(dir, 'node'), true, 300_000, NODE_PORT);
    const restarts: number[] = [];
    for (let i = 0; i < 3; i++) restarts.push(await startOnce(join(dir, 'node'), false, 300_000, NODE_PORT));
    const restart = median(restarts);
    const demoFirst = await demoStart(join(dir, 'demo'));
    const demoRestart = await demoStart(join(dir, 'demo'));
    if (savedTemplateDir === undefined) delete process.env.HANOI247_TEMPLATE_DIR;
    else process.env.HANOI247_TEMPLATE_DIR = savedTemplateDir;
    printRows('startup (PGlite), against a bare `node -e 0` in the same run', [
      { figure: 'hanoi247 --help (median of 5)', value: `${fmt(help, 0)} ms`, ...against(help) },
      ...subRuns.map(({ name, ms }) => ({
        figure: `hanoi247 ${name} --help (median of 3)`,
        value: `${fmt(ms, 0)} ms`,
        ...against(ms),
      })),
      {
        figure: 'hanoi247 --help peak memory',
        value: `${fmt(helpRss / 1024, 0)} MB`,
        baseline: `${fmt(bareRss / 1024, 0)} MB bare node`,
        ratio: `${fmt(helpRss / bareRss, 1)}×`,
      },
      {
        figure: 'first node without a template (migrations changed since npm install): init + serve',
        value: `${fmt(firstEver, 0)} ms`,
        ...against(firstEver),
      },
      {
        figure: 'one node, first start: init + serve to /readyz',
        value: `${fmt(first, 0)} ms`,
        ...against(first),
      },
      {
        figure: 'one node, restart to /readyz (median of 3)',
        value: `${fmt(restart, 0)} ms`,
        ...against(restart),
      },
      {
        figure: 'demo (3 nodes), first start to all /readyz',
        value: `${fmt(demoFirst, 0)} ms`,
        ...against(demoFirst),
      },
      {
        figure: 'demo (3 nodes), restart to all /readyz',
        value: `${fmt(demoRestart, 0)} ms`,
        ...against(demoRestart),
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
