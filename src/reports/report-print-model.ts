// What the printed report shows, in one language, laid out by the PDF (report-pdf.ts) and by the
// printable HTML (report-html.ts, for Chinese and Arabic, which the embedded PDF font cannot print):
// the charts' bars from the figures, the table of every figure, the definitions and how to check it.
import {
  COLUMN_LABELS,
  DIMENSION_LABELS,
  INDICATOR_DEFINITIONS,
  INDICATOR_LABELS,
  INDICATORS,
  MAIN_TIME_INDICATORS,
  type PublishedFigure,
  printText,
  type ReportLanguage,
} from '../domain/indicators-report/index.ts';
import type { IndicatorReport } from './report-document.ts';

export type Bar = { label: string; value: number | null; shown: string };
export type PrintChart = { title: string; bars: Bar[] };
export type PrintModel = {
  lang: ReportLanguage;
  dir: 'ltr' | 'rtl';
  title: string;
  headline: string;
  partial: string | null;
  privacy: string;
  charts: PrintChart[];
  figuresTitle: string;
  columns: string[];
  rows: string[][];
  definitionsTitle: string;
  definitions: { name: string; text: string }[];
  verification: string;
  footer: string;
};

const REQUEST_BARS = [
  'requests_received',
  'requests_sent',
  'requests_executed',
  'requests_refused',
  'requests_postponed',
  'requests_withdrawn',
  'preservation_executed',
] as const;

function stateName(code: string, lang: ReportLanguage): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function printModel(report: IndicatorReport, lang: ReportLanguage): PrintModel {
  const number = new Intl.NumberFormat(lang);
  const withheld = printText('withheld', lang);
  const shownOf = (v: number | string | null | undefined) =>
    v === null || v === undefined ? '—' : typeof v === 'number' ? number.format(v) : v;
  const total = (indicator: string) =>
    report.figures.find((f) => f.indicator === indicator && f.dimension === 'total');
  const name = (indicator: string) =>
    INDICATOR_LABELS[indicator as PublishedFigure['indicator']]?.[lang] ?? indicator;
  const countBar = (label: string, f: PublishedFigure | undefined): Bar => ({
    label,
    value: typeof f?.value === 'number' ? f.value : null,
    shown: f ? shownOf(f.value) : '0',
  });
  const group = (f: PublishedFigure) =>
    f.group === null
      ? DIMENSION_LABELS.total[lang]
      : f.dimension === 'partner'
        ? stateName(f.group, lang)
        : f.group;
  const partners = report.figures.filter(
    (f) => f.indicator === 'requests_received' && f.dimension === 'partner',
  );
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(report.generatedAt),
  );
  const c = report.checkpoint;
  return {
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    title: printText('title', lang),
    headline: printText('headline', lang, { node: report.node, period: report.period.id, date }),
    partial: report.period.partial ? printText('partial', lang) : null,
    privacy: printText('privacy', lang, { threshold: report.suppressionThreshold }),
    charts: [
      { title: printText('chartRequests', lang), bars: REQUEST_BARS.map((i) => countBar(name(i), total(i))) },
      {
        title: printText('chartTimes', lang),
        bars: MAIN_TIME_INDICATORS.map((i) => {
          const v = total(i)?.medianHours;
          return {
            label: name(i),
            value: typeof v === 'number' ? v : null,
            shown: typeof v === 'number' ? number.format(v) : withheld,
          };
        }),
      },
      ...(partners.length > 0
        ? [{ title: printText('chartPartners', lang), bars: partners.map((f) => countBar(group(f), f)) }]
        : []),
    ],
    figuresTitle: printText('figures', lang),
    columns: [
      COLUMN_LABELS.indicator[lang],
      COLUMN_LABELS.dimension[lang],
      COLUMN_LABELS.group[lang],
      COLUMN_LABELS.value[lang],
      COLUMN_LABELS.medianHours[lang],
      COLUMN_LABELS.p90Hours[lang],
      COLUMN_LABELS.withinDeadlineShare[lang],
    ],
    rows: report.figures.map((f) => [
      name(f.indicator),
      DIMENSION_LABELS[f.dimension]?.[lang] ?? f.dimension,
      group(f),
      shownOf(f.value),
      f.medianHours === undefined ? '' : shownOf(f.medianHours),
      f.p90Hours === undefined ? '' : shownOf(f.p90Hours),
      typeof f.withinDeadlineShare === 'number'
        ? new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(
            f.withinDeadlineShare,
          )
        : f.withinDeadlineShare === undefined
          ? ''
          : '—',
    ]),
    definitionsTitle: printText('definitions', lang),
    definitions: INDICATORS.map((i) => ({ name: name(i), text: INDICATOR_DEFINITIONS[i][lang] })),
    verification: printText('verification', lang, { kid: c.kid, size: c.treeSize, root: c.rootHash }),
    footer: `${printText('reportId', lang)} ${report.node} ${report.period.id} · ${report.id}`,
  };
}
