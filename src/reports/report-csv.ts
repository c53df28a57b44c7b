// The CSV rendering of a report (RFC 4180, UTF-8 with a byte-order mark so spreadsheets pick the
// encoding): headers and indicator names in the reader's language; codes of groups as stored.
import {
  COLUMN_LABELS,
  type Column,
  DIMENSION_LABELS,
  INDICATOR_LABELS,
  type ReportLanguage,
} from '../domain/indicators-report/index.ts';
import type { IndicatorReport } from './report-document.ts';

const COLUMNS: Column[] = [
  'period',
  'indicator',
  'dimension',
  'group',
  'value',
  'medianHours',
  'p90Hours',
  'withinDeadlineShare',
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function reportCsv(report: IndicatorReport, lang: ReportLanguage): string {
  const lines = [COLUMNS.map((c) => cell(COLUMN_LABELS[c][lang])).join(',')];
  for (const f of report.figures) {
    lines.push(
      [
        report.period.id,
        INDICATOR_LABELS[f.indicator]?.[lang] ?? f.indicator,
        DIMENSION_LABELS[f.dimension]?.[lang] ?? f.dimension,
        f.group,
        f.value,
        f.medianHours,
        f.p90Hours,
        f.withinDeadlineShare,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
