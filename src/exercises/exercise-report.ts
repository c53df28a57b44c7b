// The after-action report: the score of each expected action with the time taken, and the timeline
// of what happened against the script, for one participant State or the whole exercise, in any of
// the seven languages. JSON for programs; PDF (en, fr, vi, ru, es) or printable HTML (ar, zh: the
// PDF fonts neither shape Arabic nor carry Chinese), like the printed request.
import type { PDFFont, PDFPage } from 'pdf-lib';
import { REPORT_WORDS, type ReportLanguage } from '../domain/exercises/index.ts';
import type { Db } from '../store/database.ts';
import { type ExerciseRow, participantsOf, scenarioOf } from './exercise-store.ts';
import { scoreOf, timelineOf } from './exercise-view.ts';

export const PDF_REPORT_LANGUAGES: readonly ReportLanguage[] = ['en', 'fr', 'vi', 'ru', 'es'];

/** The report's language: the one asked, else the participant's, else the scenario's, else English. */
export async function reportLanguage(
  tx: Db,
  row: ExerciseRow,
  asked: ReportLanguage | undefined,
  state: string | undefined,
): Promise<ReportLanguage> {
  if (asked) return asked;
  const participant = (await participantsOf(tx, row.id)).find(
    (p) => p.state === (state ?? row.nodeState) && p.language,
  );
  const lang = participant?.language ?? scenarioOf(row).language ?? 'en';
  return lang as ReportLanguage;
}

export async function reportOf(
  tx: Db,
  row: ExerciseRow,
  realNow: Date,
  lang: ReportLanguage,
  state?: string,
) {
  const words = REPORT_WORDS[lang];
  const titles = new Map(scenarioOf(row).expectedActions.map((a) => [a.id, a.title]));
  const { actions, score } = await scoreOf(tx, row, realNow, state);
  const timeline = await timelineOf(tx, row);
  return {
    exerciseId: row.id,
    scenarioId: row.scenarioId,
    title: row.title,
    banner: words.banner,
    language: lang,
    state: state ?? null,
    status: row.status,
    generatedAt: realNow.toISOString(),
    score,
    actions: actions.map((a) => ({
      ...a,
      label: titles.get(a.id) ?? words.action[a.kind],
      kindLabel: words.action[a.kind],
      outcomeLabel: words.outcome[a.outcome],
    })),
    timeline: timeline
      .filter((t) => !state || t.kind === 'inject' || t.actor === state)
      .map((t) => ({ ...t, kindLabel: words.timelineKind[t.kind] })),
    labels: {
      title: words.title,
      exercise: words.exercise,
      state: words.state,
      status: words.statusName[row.status as 'running' | 'paused' | 'ended'],
      score: words.score,
      actions: words.actions,
      timeline: words.timeline,
      target: words.target,
      taken: words.taken,
      minutes: words.minutes,
      generated: words.generated,
    },
  };
}

export type ExerciseReport = Awaited<ReturnType<typeof reportOf>>;

const esc = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

function minutes(m: number | null, unit: string): string {
  return m === null ? '—' : `${Math.round(m * 10) / 10} ${unit}`;
}

function scoreLine(r: ExerciseReport): string {
  const o = REPORT_WORDS[r.language].outcome;
  return (['met', 'late', 'missed', 'wrong', 'pending'] as const)
    .map((k) => `${o[k]}: ${r.score[k]}`)
    .join(' · ');
}

/** The report as a printable HTML page (right-to-left for Arabic). */
export function renderReportHtml(r: ExerciseReport): string {
  const l = r.labels;
  const dir = r.language === 'ar' ? 'rtl' : 'ltr';
  const actions = r.actions
    .map(
      (a) =>
        `<tr><td>${esc(a.label)}</td><td>${esc(a.by)}</td><td>${esc(minutes(a.targetMinutes, l.minutes))}</td><td>${esc(minutes(a.takenMinutes, l.minutes))}</td><td class="o-${a.outcome}">${esc(a.outcomeLabel)}${a.detail ? ` (${esc(a.detail)})` : ''}</td></tr>`,
    )
    .join('\n');
  const timeline = r.timeline
    .map(
      (t) =>
        `<tr><td>T+${esc(minutes(t.atMinutes, l.minutes))}</td><td>${esc(t.kindLabel)}</td><td>${esc(t.actor)}</td><td>${esc(t.summary)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${r.language}" dir="${dir}">
<head>
<meta charset="utf-8">
<title>${esc(l.title)} — ${esc(r.title)}</title>
<style>
body{font-family:serif;max-width:52rem;margin:2rem auto;line-height:1.4}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
th,td{border:1px solid #444;padding:.35rem;vertical-align:top;text-align:start}
.banner{font-weight:bold;border:2px solid #000;padding:.3rem;text-align:center}
</style>
</head>
<body>
<p class="banner">${esc(r.banner)}</p>
<h1>${esc(l.title)}</h1>
<p>${esc(l.exercise)}: ${esc(r.title)} — ${esc(l.status)}${r.state ? ` — ${esc(l.state)}: ${esc(r.state)}` : ''}</p>
<p>${esc(l.generated)}: ${esc(r.generatedAt)}</p>
<h2>${esc(l.score)}</h2>
<p>${esc(scoreLine(r))}</p>
<h2>${esc(l.actions)}</h2>
<table>
<tr><th></th><th>${esc(l.state)}</th><th>${esc(l.target)}</th><th>${esc(l.taken)}</th><th>${esc(l.score)}</th></tr>
${actions}
</table>
<h2>${esc(l.timeline)}</h2>
<table>
${timeline}
</table>
</body>
</html>
`;
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };

/** The report as PDF, in a language DejaVu Sans prints (PDF_REPORT_LANGUAGES). */
export async function renderReportPdf(r: ExerciseReport): Promise<Uint8Array> {
  // Loaded by the first PDF, not with the node: pdf-lib and its fonts are a fifth of a start's modules.
  const [{ rgb }, { newPdf, wrap }] = await Promise.all([
    import('pdf-lib'),
    import('../requests/printable-pdf.ts'),
  ]);
  const l = r.labels;
  const nfc = (s: string) => s.normalize('NFC');
  const { doc, regular, bold } = await newPdf({
    title: `${l.title} — ${r.title}`,
    lang: r.language,
    date: new Date(r.generatedAt),
  });
  const width = PAGE.width - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const line = (s: string, font: PDFFont, size: number, indent = 0) => {
    for (const part of wrap(nfc(s), font, size, width - indent)) {
      if (y - size - 4 < PAGE.margin) {
        page = doc.addPage([PAGE.width, PAGE.height]);
        y = PAGE.height - PAGE.margin;
      }
      page.drawText(part, { x: PAGE.margin + indent, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size + 4;
    }
  };
  page.drawRectangle({
    x: PAGE.margin,
    y: y - 20,
    width,
    height: 20,
    borderWidth: 1.5,
    borderColor: rgb(0, 0, 0),
  });
  const bannerWidth = bold.widthOfTextAtSize(nfc(r.banner), 11);
  page.drawText(nfc(r.banner), {
    x: PAGE.margin + (width - bannerWidth) / 2,
    y: y - 15,
    size: 11,
    font: bold,
  });
  y -= 30;
  line(l.title, bold, 15);
  line(`${l.exercise}: ${r.title} — ${l.status}${r.state ? ` — ${l.state}: ${r.state}` : ''}`, regular, 10);
  line(`${l.generated}: ${r.generatedAt}`, regular, 9);
  y -= 6;
  line(l.score, bold, 12);
  line(scoreLine(r), regular, 10);
  y -= 6;
  line(l.actions, bold, 12);
  for (const a of r.actions) {
    line(`${a.label} (${a.by}) — ${a.outcomeLabel}`, bold, 9.5);
    line(
      `${l.target}: ${minutes(a.targetMinutes, l.minutes)} · ${l.taken}: ${minutes(a.takenMinutes, l.minutes)}${a.detail ? ` · ${a.detail}` : ''}`,
      regular,
      9.5,
      12,
    );
  }
  y -= 6;
  line(l.timeline, bold, 12);
  for (const t of r.timeline)
    line(`T+${minutes(t.atMinutes, l.minutes)} · ${t.kindLabel} · ${t.actor} · ${t.summary}`, regular, 9);
  return doc.save();
}
