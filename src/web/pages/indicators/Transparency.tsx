// The public transparency page, served without sign-in: the node's released, signed reports of its
// implementation indicators, charts of the main ones over time, how each is defined and how anyone
// can check a report. Everything here comes from /api/v1/public/…, which needs no session.
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import {
  INDICATORS,
  MAIN_COUNT_INDICATORS,
  MAIN_TIME_INDICATORS,
} from '../../../domain/indicators-report/index.ts';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { Problem } from '../../components/Problem.tsx';
import { dateWords } from '../../i18n/words.ts';
import { type ChartSeries, IndicatorChart } from './IndicatorChart.tsx';
import { indicatorDefinition, indicatorName } from './indicator-words.ts';
import { RegionalAggregates } from './RegionalAggregates.tsx';
import type { IndicatorReport, ReportPage, ReportSummary, SignedReport } from './report-types.ts';
import { seriesOf, timeline } from './series.ts';
import './indicators.css';

/** How many of the latest released reports are charted. */
const CHARTED = 12;

export function Transparency() {
  const { t, i18n } = useTranslation();
  const { node } = useSession();
  const [summaries, setSummaries] = useState<ReportSummary[] | null>(null);
  const [reports, setReports] = useState<IndicatorReport[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      const page = await get<ReportPage>(`/api/v1/public/reports${query({ limit: 100 })}`);
      const files = await Promise.all(
        page.items
          .slice(0, CHARTED)
          .map((s) => get<SignedReport>(`/api/v1/public/reports/${encodeURIComponent(s.id)}`)),
      );
      if (!live) return;
      setSummaries(page.items);
      setReports(files.map((f) => f.report));
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);

  const lang = i18n.language;
  const periods = useMemo(() => timeline(reports), [reports]);
  const threshold = reports[0]?.suppressionThreshold ?? 5;
  // One series per main indicator, for each of the three charts.
  const seriesFor = useMemo(
    () =>
      (
        indicators: readonly Parameters<typeof seriesOf>[1][],
        value: Parameters<typeof seriesOf>[2],
      ): ChartSeries[] =>
        indicators.map((i) => ({ label: indicatorName(i, lang), points: seriesOf(periods, i, value) })),
    [periods, lang],
  );
  const counts = useMemo(() => seriesFor(MAIN_COUNT_INDICATORS, 'count'), [seriesFor]);
  const medians = useMemo(() => seriesFor(MAIN_TIME_INDICATORS, 'medianHours'), [seriesFor]);
  const shares = useMemo(() => seriesFor(MAIN_TIME_INDICATORS, 'withinDeadlineShare'), [seriesFor]);
  const gapNote = t('transparency.gapNote', { threshold });
  const state = node?.name || node?.state || '';

  return (
    <section className="transparency">
      <h1>{t('transparency.title')}</h1>
      <p className="intro">{t('transparency.intro', { state })}</p>
      <p className="hint">{t('transparency.privacy', { threshold })}</p>
      <Problem error={error} />
      {summaries === null && !error ? <p aria-busy="true">{t('app.loading')}</p> : null}
      {summaries !== null && summaries.length === 0 ? <p>{t('transparency.none')}</p> : null}
      {periods.length > 0 ? (
        <>
          <h2>{t('transparency.chartsTitle')}</h2>
          <div className="charts">
            <IndicatorChart
              kind="bar"
              title={t('transparency.countsChart')}
              unit={t('transparency.unitCount')}
              series={counts}
              gapNote={gapNote}
            />
            <IndicatorChart
              kind="line"
              title={t('transparency.timesChart')}
              unit={t('transparency.unitHours')}
              series={medians}
              gapNote={gapNote}
            />
            <IndicatorChart
              kind="line"
              title={t('transparency.shareChart')}
              unit={t('transparency.unitPercent')}
              series={shares}
              gapNote={gapNote}
            />
          </div>
        </>
      ) : null}
      {summaries !== null && summaries.length > 0 ? (
        <>
          <h2>{t('transparency.reportsTitle')}</h2>
          <ul className="report-list">
            {summaries.map((s) => (
              <ReportItem key={s.id} summary={s} />
            ))}
          </ul>
        </>
      ) : null}
      <RegionalAggregates />
      <h2>{t('transparency.verifyTitle')}</h2>
      <p>{t('transparency.verifyBody')}</p>
      <pre className="command" dir="ltr">
        hanoi247 report verify report.json
      </pre>
      <p>
        <a href="/api/v1/public/reports/schema.json">{t('transparency.schema')}</a>
      </p>
      <h2>{t('transparency.definitionsTitle')}</h2>
      <dl className="definitions">
        {INDICATORS.map((i) => (
          <div key={i}>
            <dt>{indicatorName(i, lang)}</dt>
            <dd>{indicatorDefinition(i, lang)}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link href="/">{t('transparency.deskLink')}</Link>
      </p>
    </section>
  );
}

function ReportItem({ summary }: { summary: ReportSummary }) {
  const { t, i18n } = useTranslation();
  const base = `/api/v1/public/reports/${encodeURIComponent(summary.id)}`;
  const lang = i18n.language;
  return (
    <li>
      <h3>
        <bdi>{summary.period}</bdi>
      </h3>
      <p>
        {t('transparency.releasedOn', {
          date: dateWords((summary.releasedAt ?? summary.builtAt).slice(0, 10), lang),
        })}{' '}
        · {t('transparency.checkpoint', { size: summary.treeSize })}
      </p>
      <ul className="downloads" aria-label={t('transparency.downloads', { period: summary.period })}>
        <li>
          <a href={base} download={`report-${summary.period}.json`}>
            {t('transparency.signedJson')}
          </a>
        </li>
        <li>
          <a href={`${base}${query({ format: 'csv', lang })}`}>{t('transparency.csv')}</a>
        </li>
        <li>
          <a href={`${base}${query({ format: 'pdf', lang })}`}>{t('transparency.pdf')}</a>
        </li>
      </ul>
    </li>
  );
}
