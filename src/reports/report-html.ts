// The printed report as one HTML page (no script: the node serves it under a policy that allows
// none), for every language and the only printed form of Chinese and Arabic, which the PDF's font and
// writer cannot print: the browser shapes Arabic right to left and has the CJK glyphs. The charts are
// bars whose width is the figure's share of the largest, printed with their values.
import type { ReportLanguage } from '../domain/indicators-report/index.ts';
import type { IndicatorReport } from './report-document.ts';
import { type PrintChart, printModel } from './report-print-model.ts';

const html = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function chartHtml(chart: PrintChart): string {
  const max = Math.max(1, ...chart.bars.map((b) => b.value ?? 0));
  const rows = chart.bars
    .map((b) => {
      const width = b.value === null ? 0 : Math.round((b.value / max) * 1000) / 10;
      return `<tr><th scope="row">${html(b.label)}</th><td><span class="bar" style="width:${width}%"></span> <b>${html(b.shown)}</b></td></tr>`;
    })
    .join('');
  return `<figure><figcaption>${html(chart.title)}</figcaption><table class="chart">${rows}</table></figure>`;
}

export function renderReportHtml(report: IndicatorReport, lang: ReportLanguage): string {
  const m = printModel(report, lang);
  const head = `<tr>${m.columns.map((c) => `<th scope="col">${html(c)}</th>`).join('')}</tr>`;
  const rows = m.rows.map((r) => `<tr>${r.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('');
  const definitions = m.definitions.map((d) => `<dt>${html(d.name)}</dt><dd>${html(d.text)}</dd>`).join('');
  return `<!doctype html>
<html lang="${lang}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(`${m.title} — ${report.node} ${report.period.id}`)}</title>
<style>
body { font-family: system-ui, "Noto Sans", "Noto Sans CJK SC", "Noto Naskh Arabic", sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; color: #000; background: #fff; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
figure { margin: 1rem 0; } figcaption { font-weight: bold; margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; }
table.chart th { text-align: start; font-weight: normal; width: 40%; padding: .15rem .5rem .15rem 0; }
.bar { display: inline-block; height: .8rem; background: #0072b2; vertical-align: middle; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
table.figures th, table.figures td { border-bottom: 1px solid #888; padding: .2rem .3rem; text-align: start; font-size: .85rem; }
dt { font-weight: bold; margin-top: .5rem; } dd { margin-inline-start: 0; }
.note { font-size: .9rem; } .footer { font-size: .8rem; color: #333; margin-top: 2rem; word-break: break-all; }
</style>
</head>
<body>
<h1>${html(m.title)}</h1>
<p>${html(m.headline)}</p>
${m.partial ? `<p><strong>${html(m.partial)}</strong></p>` : ''}
<p class="note">${html(m.privacy)}</p>
${m.charts.map(chartHtml).join('\n')}
<h2>${html(m.figuresTitle)}</h2>
<table class="figures"><thead>${head}</thead><tbody>${rows}</tbody></table>
<h2>${html(m.definitionsTitle)}</h2>
<dl>${definitions}</dl>
<p class="footer">${html(m.verification)}<br>${html(m.footer)}</p>
</body>
</html>
`;
}
