// Scheduled reports: the last period that has ended, for a node that builds its report of each
// quarter (or month) on its own once the period is over. Pure: `now` is a parameter.

export const REPORT_SCHEDULES = ['quarterly', 'monthly'] as const;
export type ReportSchedule = (typeof REPORT_SCHEDULES)[number];

/** The id of the latest period of this kind that ended at or before `now` (UTC). */
export function lastEndedPeriod(schedule: ReportSchedule, now: Date): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (schedule === 'monthly') {
    const m = month === 0 ? 12 : month;
    return `${month === 0 ? year - 1 : year}-${String(m).padStart(2, '0')}`;
  }
  const quarter = Math.floor(month / 3);
  return quarter === 0 ? `${year - 1}-Q4` : `${year}-Q${quarter}`;
}

export function isReportSchedule(text: string): text is ReportSchedule {
  return (REPORT_SCHEDULES as readonly string[]).includes(text);
}
