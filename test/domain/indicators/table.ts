// Table-driven checks shared by the indicator tests: one node:test case per row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type IndicatorType, normalizeIndicator } from '../../../src/domain/indicators/index.ts';

export type Row = readonly [input: string, expected: string, options?: { defaultCountry?: string }];

function show(input: string): string {
  const text = JSON.stringify(input);
  return text.length > 70 ? `${text.slice(0, 60)}…(${input.length} chars)` : text;
}

export function accepts(type: IndicatorType, rows: readonly Row[]): void {
  for (const [input, expected, options] of rows) {
    test(`${type} ${show(input)}${options ? ` (${options.defaultCountry})` : ''} → ${expected}`, () => {
      assert.deepEqual(normalizeIndicator(type, input, options), { ok: true, value: expected });
    });
  }
}

export function rejects(type: IndicatorType, rows: readonly Row[]): void {
  for (const [input, error, options] of rows) {
    test(`${type} ${show(input)} is refused: ${error}`, () => {
      assert.deepEqual(normalizeIndicator(type, input, options), { ok: false, error });
    });
  }
}
