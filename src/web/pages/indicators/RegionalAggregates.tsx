// On a regional hub: the aggregate of its members' released reports, per period, charted over time.
// A sum with a suppressed part is known only within bounds: the chart leaves a gap there and the
// table says "between … and …". Nothing is shown on a node that is not a hub.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAIN_COUNT_INDICATORS } from '../../../domain/indicators-report/index.ts';
import { get } from '../../api/client.ts';
import { stateName } from '../../i18n/words.ts';
import { type ChartSeries, IndicatorChart } from './IndicatorChart.tsx';
import { indicatorName } from './indicator-words.ts';

type RegionAnswer = {
  region: { name: string; hub: string; members: string[] } | null;
  periods: { period: string; members: string[] }[];
};
type AggregateFigure = {
  indicator: string;
  dimension: string;
  group: string | null;
  value: number | null;
  min: number;
  max: number;
};
type Aggregate = {
  period: string;
  members: { node: string; reportId: string }[];
  figures: AggregateFigure[];
};

/** How many periods of the aggregate are charted. */
const CHARTED = 8;

export function RegionalAggregates() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [region, setRegion] = useState<RegionAnswer['region']>(null);
  const [aggregates, setAggregates] = useState<Aggregate[]>([]);

  useEffect(() => {
    let live = true;
    (async () => {
      const answer = await get<RegionAnswer>('/api/v1/public/regional-reports');
      if (!answer.region) return;
      const files = await Promise.all(
        answer.periods
          .slice(0, CHARTED)
          .map((p) =>
            get<{ aggregate: Aggregate }>(`/api/v1/public/regional-reports/${encodeURIComponent(p.period)}`),
          ),
      );
      if (!live) return;
      setRegion(answer.region);
      setAggregates(files.map((f) => f.aggregate).reverse());
    })().catch(() => {
      // The regional part is an extra: the node's own reports are shown without it.
    });
    return () => {
      live = false;
    };
  }, []);

  const number = new Intl.NumberFormat(lang);
  const series: ChartSeries[] = useMemo(
    () =>
      MAIN_COUNT_INDICATORS.map((indicator) => ({
        label: indicatorName(indicator, lang),
        points: aggregates.map((a) => {
          const f = a.figures.find((x) => x.indicator === indicator && x.dimension === 'total');
          return {
            period: a.period,
            value: f?.value ?? null,
            shown: f
              ? f.value === null
                ? t('transparency.regionalBounds', { min: number.format(f.min), max: number.format(f.max) })
                : number.format(f.value)
              : '—',
          };
        }),
      })),
    [aggregates, lang, t, number],
  );
  if (!region) return null;
  return (
    <section aria-labelledby="regional-title">
      <h2 id="regional-title">{t('transparency.regionalTitle', { region: region.name })}</h2>
      <p>{t('transparency.regionalIntro', { region: region.name })}</p>
      {aggregates.length === 0 ? (
        <p>{t('transparency.regionalNone')}</p>
      ) : (
        <>
          <div className="charts">
            <IndicatorChart
              kind="bar"
              title={t('transparency.countsChart')}
              unit={t('transparency.unitCount')}
              series={series}
            />
          </div>
          <h3>{t('transparency.regionalMembers')}</h3>
          <ul className="member-list">
            {aggregates.map((a) => (
              <li key={a.period}>
                <bdi>{a.period}</bdi>: {a.members.map((m) => stateName(m.node, lang)).join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
