import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COLUMN_LABELS,
  DIMENSION_LABELS,
  INDICATOR_LABELS,
  INDICATORS,
  parsePeriod,
  publishCounts,
  publishTimes,
  REPORT_LANGUAGES,
  suppressCount,
} from '../../../src/domain/indicators-report/index.ts';

const NOW = new Date('2026-12-07T08:00:00Z');

test('a quarter, a month and a year parse to UTC half-open intervals', () => {
  const q = parsePeriod('2026-Q4', NOW);
  assert.ok(q.ok);
  assert.equal(q.period.start.toISOString(), '2026-10-01T00:00:00.000Z');
  assert.equal(q.period.end.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(q.period.partial, true);
  const m = parsePeriod('2026-02', NOW);
  assert.ok(m.ok);
  assert.equal(m.period.kind, 'month');
  assert.equal(m.period.end.toISOString(), '2026-03-01T00:00:00.000Z');
  assert.equal(m.period.partial, false);
  const y = parsePeriod('2025', NOW);
  assert.ok(y.ok);
  assert.deepEqual([y.period.kind, y.period.id, y.period.partial], ['year', '2025', false]);
  const lower = parsePeriod('2026-q1', NOW);
  assert.ok(lower.ok);
  assert.equal(lower.period.id, '2026-Q1');
});

test('periods that do not parse or lie in the future are refused with the field named', () => {
  for (const bad of ['2026-Q5', '2026-13', '26-Q1', 'Q4-2026', '2026-1', '', 'last quarter', '1999']) {
    const r = parsePeriod(bad, NOW);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.problem.field, 'period');
  }
  const future = parsePeriod('2027-Q1', NOW);
  assert.equal(future.ok, false);
  if (!future.ok) assert.match(future.problem.message, /has not begun/);
  assert.equal(parsePeriod('2027', NOW).ok, false);
  assert.equal(parsePeriod('2026-12', NOW).ok, true);
});

test('small counts are suppressed below the threshold; zero and larger counts are kept', () => {
  assert.equal(suppressCount(0), 0);
  assert.equal(suppressCount(1), '<5');
  assert.equal(suppressCount(4), '<5');
  assert.equal(suppressCount(5), 5);
  assert.equal(suppressCount(2, 3), '<3');
  assert.equal(suppressCount(3, 3), 3);
  assert.equal(suppressCount(1, 1), 1);
  assert.throws(() => suppressCount(1, 0), RangeError);
});

test('no statistic is published over fewer cases than the threshold', () => {
  const [few, many] = publishTimes(
    [
      {
        indicator: 'time_to_execute',
        dimension: 'total',
        group: null,
        count: 3,
        medianSeconds: 3600,
        p90Seconds: 7200,
        withDeadline: 3,
        withinDeadline: 3,
      },
      {
        indicator: 'time_to_execute',
        dimension: 'type',
        group: 'PRESERVATION',
        count: 6,
        medianSeconds: 5400,
        p90Seconds: 9000,
        withDeadline: 5,
        withinDeadline: 4,
      },
    ],
    5,
  );
  assert.deepEqual(few, {
    indicator: 'time_to_execute',
    dimension: 'total',
    group: null,
    value: '<5',
    medianHours: null,
    p90Hours: null,
    withinDeadlineShare: null,
  });
  assert.equal(many!.value, 6);
  assert.equal(many!.medianHours, 1.5);
  assert.equal(many!.p90Hours, 2.5);
  assert.equal(many!.withinDeadlineShare, 0.8);
  const counts = publishCounts(
    [{ indicator: 'requests_sent', dimension: 'partner', group: 'FR', count: 2 }],
    5,
  );
  assert.equal(counts[0]!.value, '<5');
});

test('every label people read exists in all seven languages', () => {
  const tables = [COLUMN_LABELS, DIMENSION_LABELS, INDICATOR_LABELS] as Record<
    string,
    Record<string, string>
  >[];
  for (const table of tables) {
    for (const [key, labels] of Object.entries(table)) {
      for (const lang of REPORT_LANGUAGES) assert.ok(labels[lang]?.trim(), `${key} in ${lang}`);
    }
  }
  for (const indicator of INDICATORS) assert.ok(INDICATOR_LABELS[indicator], indicator);
});
