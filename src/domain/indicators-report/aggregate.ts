// The regional aggregate of member reports: the figures of the same indicator, breakdown and group
// added up over the members. A member's suppressed count ("<5") is not known exactly, so the sum is
// given as bounds (each such count is between 1 and threshold − 1) and as an exact value only when
// no part of it was suppressed. Medians cannot be added up: response times count their cases only.
import type { Dimension, Indicator, PublishedFigure } from './figures.ts';

export type MemberFigures = {
  node: string;
  suppressionThreshold: number;
  figures: readonly PublishedFigure[];
};

export type AggregateFigure = {
  indicator: Indicator;
  dimension: Dimension;
  group: string | null;
  /** The exact sum, or null when a member's part was suppressed (see min and max). */
  value: number | null;
  min: number;
  max: number;
  /** Members whose report has this figure. */
  members: number;
};

export function aggregateFigures(reports: readonly MemberFigures[]): AggregateFigure[] {
  const sums = new Map<string, AggregateFigure & { exact: boolean }>();
  for (const r of reports) {
    for (const f of r.figures) {
      const key = `${f.indicator}\u0000${f.dimension}\u0000${f.group ?? ''}`;
      const held =
        sums.get(key) ??
        ({
          indicator: f.indicator,
          dimension: f.dimension,
          group: f.group,
          value: 0,
          min: 0,
          max: 0,
          members: 0,
          exact: true,
        } as AggregateFigure & { exact: boolean });
      if (typeof f.value === 'number') {
        held.min += f.value;
        held.max += f.value;
      } else {
        held.exact = false;
        held.min += 1;
        held.max += r.suppressionThreshold - 1;
      }
      held.members += 1;
      sums.set(key, held);
    }
  }
  return [...sums.values()].map(({ exact, ...f }) => ({ ...f, value: exact ? f.min : null }));
}
