// The desk's Indicators page (approvers, administrators, auditors): the live figures of a period,
// filtered by request type, direction, partner, urgency and legal basis and broken down by one of
// them, and for any figure the requests (or hub records) and audit entries that make it up. The node
// decides what the reader may see: confidential requests are listed to auditors and administrators
// only, the others get their number.
import { useEffect, useMemo, useState } from 'react';
import { Button, Input, Label, Link, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { LEGAL_BASES, REQUEST_TYPES, type Role, URGENCIES } from '../../../domain/codes.ts';
import {
  DIMENSIONS,
  MAIN_COUNT_INDICATORS,
  type PublishedFigure,
} from '../../../domain/indicators-report/index.ts';
import { get, query } from '../../api/client.ts';
import { useMe, useSession } from '../../app/session.tsx';
import { Choice } from '../../components/Choice.tsx';
import { Problem } from '../../components/Problem.tsx';
import { stateName } from '../../i18n/words.ts';
import { IndicatorChart } from './IndicatorChart.tsx';
import { dimensionName, groupName, indicatorName } from './indicator-words.ts';
import type { DrillDown, LiveFigures } from './report-types.ts';
import { ScrollBox } from './ScrollBox.tsx';
import './indicators.css';

const FILTERS = ['type', 'direction', 'partner', 'urgency', 'legal_basis'] as const;
type FilterName = (typeof FILTERS)[number];
type Filters = Record<FilterName, string>;
const NO_FILTERS: Filters = { type: '', direction: '', partner: '', urgency: '', legal_basis: '' };
/** Who may open a request's page (src/api/routes/requests/request-access.ts). */
const REQUEST_READERS: readonly Role[] = [
  'DUTY_OFFICER',
  'CENTRAL_AUTHORITY',
  'INVESTIGATOR',
  'APPROVER',
  'AUDITOR',
];

function currentQuarter(now: Date): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

type Shown = { period: string; dimension: string; filters: Filters };

export function DeskIndicators() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { parties } = useSession();
  const me = useMe();
  const [period, setPeriod] = useState(() => currentQuarter(new Date()));
  const [dimension, setDimension] = useState('total');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [shown, setShown] = useState<Shown>(() => ({ period, dimension, filters }));
  const [data, setData] = useState<LiveFigures | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [trace, setTrace] = useState<{ figure: PublishedFigure; drill: DrillDown } | null>(null);
  const [traceError, setTraceError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    get<LiveFigures>(`/api/v1/indicators${query({ period: shown.period, ...shown.filters })}`).then(
      (d) => live && setData(d),
      (e) => {
        if (!live) return;
        setData(null);
        setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [shown]);

  const rows = useMemo(
    () => (data?.figures ?? []).filter((f) => f.dimension === shown.dimension),
    [data, shown.dimension],
  );
  const chart = useMemo(() => {
    const groups = [...new Set(rows.map((f) => f.group))];
    return MAIN_COUNT_INDICATORS.map((indicator) => ({
      label: indicatorName(indicator, lang),
      points: groups.map((g) => {
        const f = rows.find((r) => r.indicator === indicator && r.group === g);
        const value = f && typeof f.value === 'number' ? f.value : f ? null : 0;
        return { period: groupName(shown.dimension, g, t, lang), value, shown: f ? String(f.value) : '0' };
      }),
    }));
  }, [rows, shown.dimension, t, lang]);

  async function openTrace(figure: PublishedFigure) {
    setTraceError(null);
    try {
      const drill = await get<DrillDown>(
        `/api/v1/indicators/trace${query({
          period: shown.period,
          indicator: figure.indicator,
          dimension: figure.dimension,
          group: figure.group,
          ...shown.filters,
        })}`,
      );
      setTrace({ figure, drill });
    } catch (e) {
      setTrace(null);
      setTraceError(e);
    }
  }

  const any = { id: '', label: t('indicatorsPage.any') };
  const filterOptions: Record<FilterName, { id: string; label: string }[]> = {
    type: REQUEST_TYPES.map((c) => ({ id: c, label: groupName('type', c, t, lang) })),
    direction: ['INCOMING', 'OUTGOING'].map((c) => ({ id: c, label: groupName('direction', c, t, lang) })),
    partner: [...parties.keys()]
      .map((c) => ({ id: c, label: stateName(c, lang) }))
      .sort((a, b) => a.label.localeCompare(b.label, lang)),
    urgency: URGENCIES.map((c) => ({ id: c, label: groupName('urgency', c, t, lang) })),
    legal_basis: LEGAL_BASES.map((c) => ({ id: c, label: groupName('legal_basis', c, t, lang) })),
  };
  const filtered = FILTERS.some((f) => shown.filters[f] !== '');
  const number = new Intl.NumberFormat(lang);
  const value = (v: number | string | null | undefined) =>
    v === null || v === undefined ? '—' : typeof v === 'number' ? number.format(v) : v;
  const mayOpenRequests = me.effectiveRoles.some((r) => REQUEST_READERS.includes(r));

  return (
    <section className="indicators-page" aria-labelledby="indicators-title">
      <h1 id="indicators-title">{t('indicatorsPage.title')}</h1>
      <p className="intro">{t('indicatorsPage.intro')}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setTrace(null);
          setShown({ period: period.trim(), dimension, filters });
        }}
      >
        <TextField className="field" value={period} onChange={setPeriod} name="period">
          <Label>{t('indicatorsPage.period')}</Label>
          <Input />
          <Text slot="description">{t('indicatorsPage.periodHint')}</Text>
        </TextField>
        <Choice
          label={t('indicatorsPage.breakdown')}
          value={dimension}
          onChange={(v) => setDimension(v ?? 'total')}
          options={DIMENSIONS.map((d) => ({ id: d, label: dimensionName(d, lang) }))}
        />
        {FILTERS.map((name) => (
          <Choice
            key={name}
            label={dimensionName(name, lang)}
            value={filters[name]}
            onChange={(v) => setFilters((old) => ({ ...old, [name]: v ?? '' }))}
            options={[any, ...filterOptions[name]]}
          />
        ))}
        <Button type="submit" className="button primary">
          {t('indicatorsPage.show')}
        </Button>
      </form>
      {filtered ? <p className="hint">{t('indicatorsPage.filtersNote')}</p> : null}
      <Problem error={error} />
      {data?.period.partial ? <p className="notice">{t('indicatorsPage.partial')}</p> : null}
      {data ? (
        <>
          <div className="charts">
            <IndicatorChart
              kind="bar"
              title={t('indicatorsPage.chartTitle', { period: data.period.id })}
              unit={t('transparency.unitCount')}
              series={chart}
              categoryLabel={dimensionName(shown.dimension, lang)}
            />
          </div>
          <ScrollBox labelledBy="indicators-title">
            <table className="figures">
              <thead>
                <tr>
                  <th scope="col">{t('indicatorsPage.indicator')}</th>
                  <th scope="col">{t('indicatorsPage.group')}</th>
                  <th scope="col">{t('indicatorsPage.value')}</th>
                  <th scope="col">{t('indicatorsPage.median')}</th>
                  <th scope="col">{t('indicatorsPage.p90')}</th>
                  <th scope="col">{t('indicatorsPage.share')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((f) => {
                  const name = indicatorName(f.indicator, lang);
                  const group = groupName(f.dimension, f.group, t, lang);
                  return (
                    <tr key={`${f.indicator}/${f.group ?? ''}`}>
                      <th scope="row">{name}</th>
                      <td>{group}</td>
                      <td className="number">
                        <Button
                          className="figure-link"
                          aria-label={t('indicatorsPage.traceButton', {
                            indicator: name,
                            group,
                            value: value(f.value),
                          })}
                          onPress={() => void openTrace(f)}
                        >
                          {value(f.value)}
                        </Button>
                      </td>
                      <td className="number">{value(f.medianHours)}</td>
                      <td className="number">{value(f.p90Hours)}</td>
                      <td className="number">
                        {typeof f.withinDeadlineShare === 'number'
                          ? new Intl.NumberFormat(lang, { style: 'percent' }).format(f.withinDeadlineShare)
                          : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollBox>
        </>
      ) : null}
      <Problem error={traceError} />
      {trace ? (
        <TracePanel
          trace={trace.drill}
          title={t('indicatorsPage.traceTitle', {
            indicator: indicatorName(trace.figure.indicator, lang),
            group: groupName(trace.figure.dimension, trace.figure.group, t, lang),
          })}
          linkRequests={mayOpenRequests}
          onClose={() => setTrace(null)}
        />
      ) : null}
    </section>
  );
}

const OBJECT_WORDS: Record<string, 'objectRequest' | 'objectHubAlert' | 'objectHubOrg'> = {
  request: 'objectRequest',
  hub_alert: 'objectHubAlert',
  hub_org: 'objectHubOrg',
};

function TracePanel(props: { trace: DrillDown; title: string; linkRequests: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { trace } = props;
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="trace" aria-labelledby="trace-title">
      <h2 id="trace-title">{props.title}</h2>
      <p>{t('indicatorsPage.traceCount', { count: trace.count })}</p>
      {trace.hidden > 0 ? (
        <p className="notice">{t('indicatorsPage.traceHidden', { count: trace.hidden })}</p>
      ) : null}
      {trace.items.length === 0 ? (
        <p>{t('indicatorsPage.traceEmpty')}</p>
      ) : (
        <ScrollBox labelledBy="trace-title">
          <table className="figures">
            <thead>
              <tr>
                <th scope="col">{t('indicatorsPage.counted')}</th>
                <th scope="col">{t('indicatorsPage.when')}</th>
                <th scope="col">{t('indicatorsPage.auditEntry')}</th>
              </tr>
            </thead>
            <tbody>
              {trace.items.map((item) => {
                const word = t(`indicatorsPage.${OBJECT_WORDS[item.objectType] ?? 'objectOther'}`);
                return (
                  <tr key={`${item.objectId}/${item.at}/${item.auditSeq ?? ''}`}>
                    <td>
                      {item.objectType === 'request' && props.linkRequests ? (
                        <Link href={`/requests/${encodeURIComponent(item.objectId)}`}>
                          {word} {item.objectId}
                        </Link>
                      ) : (
                        <span>
                          {word} {item.objectId}
                        </span>
                      )}
                    </td>
                    <td>{when.format(new Date(item.at))}</td>
                    <td className="number">{item.auditSeq === null ? '—' : `#${item.auditSeq}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Button className="button small" onPress={props.onClose}>
        {t('indicatorsPage.close')}
      </Button>
    </section>
  );
}
