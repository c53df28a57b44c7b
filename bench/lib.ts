// Helpers for benchmarks: every figure is printed beside a baseline measured in the same run,
// because these machines are noisy. Nothing here asserts a timing.
import { randomFillSync } from 'node:crypto';
import { open } from 'node:fs/promises';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export type Row = { figure: string; value: string; baseline: string; ratio: string };

export function printRows(title: string, rows: Row[]): void {
  const headers = ['figure', 'value', 'baseline (same run)', 'ratio'];
  const cells = rows.map((r) => [r.figure, r.value, r.baseline, r.ratio]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join(' | ');
  process.stdout.write(
    `\n## ${title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${cells.map(line).join('\n')}\n`,
  );
}

export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

/** The back ends to measure: PGlite always, PostgreSQL when it answers at BENCH_DATABASE_URL (or the default). */
export function benchDatabaseUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** A file of `bytes` random bytes (incompressible, as evidence is), written 16 MiB at a time. */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.allocUnsafe(16 * 1024 * 1024);
  try {
    for (let written = 0; written < bytes; written += block.length) {
      randomFillSync(block);
      await handle.write(block, 0, Math.min(block.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}
