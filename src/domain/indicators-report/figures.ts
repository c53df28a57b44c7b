// What a report publishes, and the privacy rules that turn raw counts into published figures:
// confidential requests count only in totals (the SQL leaves them out of every breakdown), small
// counts are suppressed, and no statistic is published over fewer cases than the threshold.
import { enoughForStatistics, type PublishedCount, suppressCount } from './suppression.ts';

export const COUNT_INDICATORS = [
  'cases_opened',
  'requests_opened',
  'requests_sent',
  'requests_received',
  'requests_executed',
  'requests_refused',
  'requests_postponed',
  'requests_withdrawn',
  'preservation_executed',
  'preservation_extended',
  'preservation_expired_without_follow_up',
  'hub_members',
  'hub_alerts_published',
  'hub_indicators_shared',
  'hub_sightings',
  'hub_false_positives',
  'hub_checks_answered',
  'hub_check_hits',
  'evidence_packages_delivered',
  'evidence_bytes_delivered',
  'evidence_packages_received',
  'evidence_bytes_received',
  'evidence_verification_failures',
] as const;
export type CountIndicator = (typeof COUNT_INDICATORS)[number];

export const TIME_INDICATORS = [
  'time_to_acknowledge',
  'time_to_execute',
  'emergency_answer',
  'time_to_first_action',
] as const;

/** Indicators whose value is a sum (bytes), not a count of facts; the count says how many packages. */
export const AMOUNT_INDICATORS: readonly Indicator[] = [
  'evidence_bytes_delivered',
  'evidence_bytes_received',
];

/** Indicators whose facts are tallies (checks per hour): the value is their sum, suppressed as a count. */
export const TALLY_INDICATORS: readonly Indicator[] = ['hub_checks_answered', 'hub_check_hits'];
export type TimeIndicator = (typeof TIME_INDICATORS)[number];

export const INDICATORS = [...COUNT_INDICATORS, ...TIME_INDICATORS] as const;
export type Indicator = (typeof INDICATORS)[number];

export const DIMENSIONS = [
  'total',
  'type',
  'direction',
  'partner',
  'urgency',
  'legal_basis',
  'ground',
  'kind',
  'hour',
  'weekday',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** One row as the SQL returns it: `group` is null for the total. */
export type RawCount = {
  indicator: string;
  dimension: string;
  group: string | null;
  count: number;
  /** The sum of the facts' amounts (bytes), for AMOUNT_INDICATORS. */
  amount?: number;
};
export type RawTime = RawCount & {
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** How many of the cases had a deadline, and how many answered within it. */
  withDeadline: number;
  withinDeadline: number;
};

export type PublishedFigure = {
  indicator: Indicator;
  dimension: Dimension;
  group: string | null;
  value: PublishedCount;
  medianHours?: number | null;
  p90Hours?: number | null;
  withinDeadlineShare?: number | null;
};

const hours = (s: number | null) => (s === null ? null : Math.round((s / 3600) * 100) / 100);

export function publishCounts(rows: readonly RawCount[], threshold: number): PublishedFigure[] {
  return rows.map((r) => ({
    indicator: r.indicator as Indicator,
    dimension: r.dimension as Dimension,
    group: r.group,
    value: AMOUNT_INDICATORS.includes(r.indicator as Indicator)
      ? publishAmount(r, threshold)
      : suppressCount(
          TALLY_INDICATORS.includes(r.indicator as Indicator) ? (r.amount ?? 0) : r.count,
          threshold,
        ),
  }));
}

/**
 * A sum over fewer than `threshold` facts could tell one package's size: it is withheld like a small
 * count ("<5" then reads "fewer than 5 packages").
 */
function publishAmount(r: RawCount, threshold: number): PublishedCount {
  if (r.count === 0) return 0;
  return enoughForStatistics(r.count, threshold) ? (r.amount ?? 0) : `<${threshold}`;
}

export function publishTimes(rows: readonly RawTime[], threshold: number): PublishedFigure[] {
  return rows.map((r) => {
    const enough = enoughForStatistics(r.count, threshold);
    return {
      indicator: r.indicator as Indicator,
      dimension: r.dimension as Dimension,
      group: r.group,
      value: suppressCount(r.count, threshold),
      medianHours: enough ? hours(r.medianSeconds) : null,
      p90Hours: enough ? hours(r.p90Seconds) : null,
      withinDeadlineShare:
        enough && enoughForStatistics(r.withDeadline, threshold)
          ? Math.round((r.withinDeadline / r.withDeadline) * 1000) / 1000
          : null,
    };
  });
}

/** Stable order: indicator as listed, the total first, then dimension and group. */
export function sortFigures(figures: PublishedFigure[]): PublishedFigure[] {
  const rank = (i: string) => (INDICATORS as readonly string[]).indexOf(i);
  const dim = (d: string) => (DIMENSIONS as readonly string[]).indexOf(d);
  return figures.sort(
    (a, b) =>
      rank(a.indicator) - rank(b.indicator) ||
      dim(a.dimension) - dim(b.dimension) ||
      (a.group ?? '').localeCompare(b.group ?? ''),
  );
}
