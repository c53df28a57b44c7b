import { ConfigError } from '../config-error.ts';
import { AppError, ValidationError } from '../shared/errors.ts';
import { writeErr, writeOut } from './cli-io.ts';

/** Prints data as JSON (for --json) or as the given human text. */
export function print(json: boolean, data: unknown, human: () => string): void {
  writeOut(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** One clear message per problem on stderr, and the exit code the failure deserves. */
export function reportFailure(error: unknown): number {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) writeErr(`configuration: ${problem}\n`);
    return 1;
  }
  if (error instanceof ValidationError) {
    writeErr(`error: ${error.message}\n`);
    if (error.errors.length > 1) for (const e of error.errors) writeErr(`  - ${e.field}: ${e.message}\n`);
    return 1;
  }
  if (error instanceof AppError) {
    writeErr(`error: ${error.message}\n`);
    return 1;
  }
  const coded = error as { code?: string; message?: string };
  if (typeof coded?.code === 'string' && coded.code.startsWith('ERR_')) {
    writeErr(`error: ${coded.message}\n`);
    return 1;
  }
  writeErr(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

/** A table of rows as aligned text columns. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
