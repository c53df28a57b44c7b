// One chart of indicators over periods, drawn by Chart.js on a canvas, with the same figures as a
// table beside it: the canvas is an image to assistive technology (named by its caption and a
// one-line summary), the table is what a screen reader or a copy-paste reads.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollBox } from './ScrollBox.tsx';
import type { Point } from './series.ts';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

// Distinguishable for the common colour-vision deficiencies (Okabe–Ito), dark enough on white.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00'];
const DASHES = [[], [6, 3], [2, 2], [8, 2, 2, 2]];

export type ChartSeries = { label: string; points: Point[] };

export function IndicatorChart(props: {
  kind: 'bar' | 'line';
  title: string;
  unit: string;
  series: ChartSeries[];
  /** Shown when a value is missing (suppressed or too few cases). */
  gapNote?: string;
  /** What the horizontal axis lists: periods by default, or a breakdown's groups. */
  categoryLabel?: string;
}) {
  const { t, i18n } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const tableId = useId();
  const rtl = i18n.dir(i18n.language) === 'rtl';
  const periods = props.series[0]?.points.map((p) => p.period) ?? [];
  // Redrawn when the figures change, not on every render of the page around it.
  const key = JSON.stringify(props.series);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const colour = getComputedStyle(el).color;
    const chart = new Chart(el, {
      type: props.kind,
      data: {
        labels: (JSON.parse(key) as ChartSeries[])[0]?.points.map((p) => p.period) ?? [],
        datasets: (JSON.parse(key) as ChartSeries[]).map((s, i) => ({
          label: s.label,
          data: s.points.map((p) => p.value),
          backgroundColor: COLOURS[i % COLOURS.length],
          borderColor: COLOURS[i % COLOURS.length],
          borderDash: props.kind === 'line' ? DASHES[i % DASHES.length] : undefined,
          spanGaps: false,
        })),
      },
      options: {
        // Figures are read, not watched: no animation, and nothing moves under a screenshot.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: i18n.language,
        color: colour,
        scales: {
          x: { reverse: rtl, ticks: { color: colour } },
          y: { beginAtZero: true, position: rtl ? 'right' : 'left', ticks: { color: colour } },
        },
        plugins: {
          legend: { rtl, labels: { color: colour } },
          tooltip: { rtl },
        },
      },
    });
    return () => chart.destroy();
  }, [props.kind, key, rtl, i18n.language]);

  const number = new Intl.NumberFormat(i18n.language);
  const cell = (p: Point) => (p.value === null ? p.shown : number.format(p.value));
  const summary = props.series
    .map((s) => `${s.label}: ${s.points.map((p) => `${p.period} ${cell(p)}`).join(', ')}`)
    .join('; ');
  return (
    <figure className="indicator-chart">
      <figcaption>
        {props.title} <span className="unit">({props.unit})</span>
      </figcaption>
      <div className="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${props.title}. ${summary}`}
          aria-describedby={tableId}
        />
      </div>
      <details>
        <summary>{t('transparency.asTable')}</summary>
        <ScrollBox label={props.title}>
          <table id={tableId} className="figures">
            <thead>
              <tr>
                <th scope="col">{props.categoryLabel ?? t('transparency.period')}</th>
                {props.series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {periods.map((period, i) => (
                <tr key={period}>
                  <th scope="row">{period}</th>
                  {props.series.map((s) => (
                    <td key={s.label}>{cell(s.points[i]!)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
        {props.gapNote ? <p className="hint">{props.gapNote}</p> : null}
      </details>
    </figure>
  );
}
