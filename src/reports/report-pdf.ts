// The printed report as PDF, charts included: each chart is drawn with pdf-lib's own rectangles and
// lines from the figures (a bar per indicator, its value printed beside it), then the table of every
// figure, the definitions and how to check the signature. DejaVu Sans is embedded, as for the printed
// request; like it, Chinese and Arabic are printed from the HTML instead (report-html.ts).
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { ReportLanguage } from '../domain/indicators-report/index.ts';
import { loadFonts, PDF_LANGUAGES, wrap } from '../requests/printable-pdf.ts';
import type { IndicatorReport } from './report-document.ts';
import { type PrintChart, printModel } from './report-print-model.ts';

/** The languages the PDF prints; the others are printed from the HTML report. */
export const REPORT_PDF_LANGUAGES: readonly ReportLanguage[] = PDF_LANGUAGES as readonly ReportLanguage[];

export function isPdfLanguage(lang: ReportLanguage): boolean {
  return REPORT_PDF_LANGUAGES.includes(lang);
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const CONTENT = PAGE.width - 2 * PAGE.margin;
const BAR_COLOUR = rgb(0, 0.447, 0.698);
const LABEL_WIDTH = 170;
const BAR_HEIGHT = 11;
const BAR_GAP = 5;
// Columns of the table: indicator, breakdown, group, then four numbers.
const COLUMNS = [130, 70, 95, 45, 50, 50, 55];

type Writer = {
  page: PDFPage;
  y: number;
  regular: PDFFont;
  bold: PDFFont;
};

function ensure(doc: PDFDocument, w: Writer, height: number) {
  if (w.y - height < PAGE.margin + 20) {
    w.page = doc.addPage([PAGE.width, PAGE.height]);
    w.y = PAGE.height - PAGE.margin;
  }
}

function paragraph(doc: PDFDocument, w: Writer, text: string, font: PDFFont, size: number, after = 4) {
  for (const line of wrap(text.normalize('NFC'), font, size, CONTENT)) {
    ensure(doc, w, size + 4);
    w.page.drawText(line, { x: PAGE.margin, y: w.y - size, size, font, color: rgb(0, 0, 0) });
    w.y -= size + 4;
  }
  w.y -= after;
}

/** A horizontal bar chart: label, bar scaled to the largest value, the value (or why none). */
function drawChart(doc: PDFDocument, w: Writer, chart: PrintChart) {
  ensure(doc, w, 20 + chart.bars.length * (BAR_HEIGHT + BAR_GAP));
  paragraph(doc, w, chart.title, w.bold, 11, 2);
  const max = Math.max(1, ...chart.bars.map((b) => b.value ?? 0));
  const room = CONTENT - LABEL_WIDTH - 70;
  const axisX = PAGE.margin + LABEL_WIDTH;
  const top = w.y;
  for (const bar of chart.bars) {
    ensure(doc, w, BAR_HEIGHT + BAR_GAP);
    const label = wrap(bar.label.normalize('NFC'), w.regular, 8.5, LABEL_WIDTH - 6)[0] ?? '';
    w.page.drawText(label, { x: PAGE.margin, y: w.y - 9, size: 8.5, font: w.regular });
    const length = bar.value === null ? 0 : (bar.value / max) * room;
    if (length > 0)
      w.page.drawRectangle({
        x: axisX,
        y: w.y - BAR_HEIGHT,
        width: length,
        height: BAR_HEIGHT,
        color: BAR_COLOUR,
      });
    w.page.drawText(bar.shown.normalize('NFC'), {
      x: axisX + length + 4,
      y: w.y - 9,
      size: 8.5,
      font: w.bold,
    });
    w.y -= BAR_HEIGHT + BAR_GAP;
  }
  // The axis, on the chart's own page when it did not break.
  if (w.y < top)
    w.page.drawLine({
      start: { x: axisX, y: top + 2 },
      end: { x: axisX, y: w.y + BAR_GAP - 2 },
      thickness: 0.7,
      color: rgb(0.2, 0.2, 0.2),
    });
  w.y -= 10;
}

function drawRow(doc: PDFDocument, w: Writer, cells: string[], font: PDFFont) {
  const size = 7.5;
  const wrapped = cells.map((c, i) => wrap(c.normalize('NFC'), font, size, COLUMNS[i]! - 4));
  const lines = Math.max(...wrapped.map((l) => l.length));
  ensure(doc, w, lines * (size + 2) + 4);
  let x = PAGE.margin;
  wrapped.forEach((cellLines, i) => {
    cellLines.forEach((l, j) => {
      w.page.drawText(l, { x, y: w.y - size - j * (size + 2), size, font });
    });
    x += COLUMNS[i]!;
  });
  w.y -= lines * (size + 2) + 2;
  w.page.drawLine({
    start: { x: PAGE.margin, y: w.y },
    end: { x: PAGE.width - PAGE.margin, y: w.y },
    thickness: 0.3,
    color: rgb(0.5, 0.5, 0.5),
  });
  w.y -= 2;
}

export async function renderReportPdf(report: IndicatorReport, lang: ReportLanguage): Promise<Uint8Array> {
  if (!isPdfLanguage(lang)) throw new RangeError(`the PDF does not print ${lang}: use the HTML report`);
  const m = printModel(report, lang);
  const fonts = await loadFonts();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const generated = new Date(report.generatedAt);
  doc.setTitle(`${m.title} — ${report.node} ${report.period.id}`.normalize('NFC'), {
    showInWindowTitleBar: true,
  });
  doc.setLanguage(lang);
  doc.setCreator('hanoi247');
  doc.setProducer('hanoi247');
  // The report's own time, so the same report always prints to the same bytes.
  doc.setCreationDate(generated);
  doc.setModificationDate(generated);
  const w: Writer = {
    page: doc.addPage([PAGE.width, PAGE.height]),
    y: PAGE.height - PAGE.margin,
    regular,
    bold,
  };
  paragraph(doc, w, m.title, bold, 14, 4);
  paragraph(doc, w, m.headline, regular, 9.5, 2);
  if (m.partial) paragraph(doc, w, m.partial, bold, 9.5, 2);
  paragraph(doc, w, m.privacy, regular, 8.5, 12);
  for (const chart of m.charts) drawChart(doc, w, chart);
  paragraph(doc, w, m.figuresTitle, bold, 11, 4);
  drawRow(doc, w, m.columns, bold);
  for (const row of m.rows) drawRow(doc, w, row, regular);
  w.y -= 10;
  paragraph(doc, w, m.definitionsTitle, bold, 11, 4);
  for (const d of m.definitions) {
    paragraph(doc, w, d.name, bold, 9, 0);
    paragraph(doc, w, d.text, regular, 9, 4);
  }
  w.y -= 8;
  paragraph(doc, w, m.verification, regular, 8.5, 0);
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const footer = `${m.footer} — ${i + 1} / ${pages.length}`;
    const width = regular.widthOfTextAtSize(footer, 7);
    p.drawText(footer, { x: PAGE.width - PAGE.margin - width, y: PAGE.margin - 20, size: 7, font: regular });
  });
  return doc.save();
}
