// Small counts are not published as such: a count of 1..threshold-1 could point to one case, so it
// is shown as "<threshold" (e.g. "<5"). Zero stays zero: it names no one.

export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** A published count: a number, or the text "<N" for a suppressed small count. */
export type PublishedCount = number | string;

export function suppressCount(n: number, threshold: number = DEFAULT_SUPPRESSION_THRESHOLD): PublishedCount {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold must be an integer ≥ 1');
  return n > 0 && n < threshold ? `<${threshold}` : n;
}

/** True when statistics over `n` cases (a median, a share) may be published. */
export function enoughForStatistics(n: number, threshold: number = DEFAULT_SUPPRESSION_THRESHOLD): boolean {
  return n >= threshold;
}
