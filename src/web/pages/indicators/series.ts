// Pure: turns released reports into what the charts draw, one point per period. A suppressed small
// count ("<5") or a statistic withheld over too few cases is a gap in the line, never a made-up 0.
import type { Indicator, PublishedFigure } from '../../../domain/indicators-report/index.ts';
import type { IndicatorReport } from './report-types.ts';

export type Point = { period: string; value: number | null; shown: string };

/** The total figure of an indicator in a report (every report has one per indicator). */
export function totalOf(
  figures: readonly PublishedFigure[],
  indicator: Indicator,
): PublishedFigure | undefined {
  return figures.find((f) => f.indicator === indicator && f.dimension === 'total');
}

/**
 * One report per period, of the kind most reports are (quarters, usually), oldest first: the latest
 * released report of a period replaces an earlier one of the same period.
 */
export function timeline(reports: readonly IndicatorReport[]): IndicatorReport[] {
  const kinds = new Map<string, number>();
  for (const r of reports) kinds.set(r.period.kind, (kinds.get(r.period.kind) ?? 0) + 1);
  const kind = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const byPeriod = new Map<string, IndicatorReport>();
  for (const r of reports) {
    if (r.period.kind !== kind) continue;
    const held = byPeriod.get(r.period.id);
    if (!held || held.generatedAt < r.generatedAt) byPeriod.set(r.period.id, r);
  }
  return [...byPeriod.values()].sort((a, b) => a.period.start.localeCompare(b.period.start));
}

export type Measure = 'count' | 'medianHours' | 'withinDeadlineShare';

/** The points of one indicator's total over the reports, for one measure. */
export function seriesOf(
  reports: readonly IndicatorReport[],
  indicator: Indicator,
  measure: Measure,
): Point[] {
  return reports.map((r) => {
    const f = totalOf(r.figures, indicator);
    let value: number | null = null;
    let shown = '—';
    if (f) {
      if (measure === 'count') {
        value = typeof f.value === 'number' ? f.value : null;
        shown = String(f.value);
      } else {
        const v = f[measure];
        value =
          typeof v === 'number' ? (measure === 'withinDeadlineShare' ? Math.round(v * 1000) / 10 : v) : null;
        shown = value === null ? '—' : String(value);
      }
    }
    return { period: r.period.id, value, shown };
  });
}
