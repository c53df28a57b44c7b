// Reporting periods: a year (`2026`), a quarter (`2026-Q4`) or a month (`2026-11`), in UTC, as the
// half-open interval [start, end). A period that has not begun yet is refused: a report of the
// future would be a promise, not a fact.

export type PeriodKind = 'year' | 'quarter' | 'month';

export type ReportPeriod = {
  /** The text it was parsed from, normalised (`2026-Q4`, `2026-11`, `2026`). */
  id: string;
  kind: PeriodKind;
  start: Date;
  /** Exclusive. */
  end: Date;
  /** True while the period is still running: its figures can still grow. */
  partial: boolean;
};

/** A field at fault, shaped like the API's validation problems. */
export type PeriodProblem = { field: string; message: string };

export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; problem: PeriodProblem };

const FORMS = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/;

export function parsePeriod(text: string, now: Date, field = 'period'): PeriodResult {
  const match = FORMS.exec(text.trim().toUpperCase());
  if (!match) {
    return {
      ok: false,
      problem: {
        field,
        message: `'${text}' is not a period: write 2026 (year), 2026-Q4 (quarter) or 2026-11 (month)`,
      },
    };
  }
  const year = Number(match[1]);
  if (year < 2000) return { ok: false, problem: { field, message: 'the year must be 2000 or later' } };
  let kind: PeriodKind = 'year';
  let firstMonth = 0;
  let months = 12;
  let id = String(year);
  if (match[2]) {
    kind = 'quarter';
    firstMonth = (Number(match[2]) - 1) * 3;
    months = 3;
    id = `${year}-Q${match[2]}`;
  } else if (match[3]) {
    kind = 'month';
    firstMonth = Number(match[3]) - 1;
    months = 1;
    id = `${year}-${match[3]}`;
  }
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const end = new Date(Date.UTC(year, firstMonth + months, 1));
  if (start.getTime() > now.getTime()) {
    return {
      ok: false,
      problem: {
        field,
        message: `${id} has not begun yet (it starts on ${start.toISOString().slice(0, 10)})`,
      },
    };
  }
  return { ok: true, period: { id, kind, start, end, partial: end.getTime() > now.getTime() } };
}
