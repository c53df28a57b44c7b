// The printable formal request as PDF, for partners without a node who take paper or e-mail.
// DejaVu Sans is embedded (subset) because the standard PDF fonts cannot print Vietnamese.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { FIELD_LABELS, FORM_TEXT, type FormLanguage } from '../domain/requests/index.ts';
import { type FormInput, formModel } from './printable-form.ts';

const require = createRequire(import.meta.url);

/**
 * Languages the PDF prints legibly. DejaVu Sans has no CJK glyphs, and pdf-lib neither shapes
 * Arabic letters nor orders right-to-left text: Chinese and Arabic are served as the HTML form,
 * which the browser prints correctly.
 */
export const PDF_LANGUAGES: readonly FormLanguage[] = ['en', 'fr', 'vi', 'ru', 'es'];

type Fonts = { regular: Uint8Array; bold: Uint8Array };
let fontFiles: Promise<Fonts> | null = null;

// The font files never change while the process runs: read them once.
export function loadFonts(): Promise<Fonts> {
  fontFiles ??= (async () => {
    const dir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
    const [regular, bold] = await Promise.all([
      readFile(`${dir}DejaVuSans.ttf`),
      readFile(`${dir}DejaVuSans-Bold.ttf`),
    ]);
    return { regular, bold };
  })();
  return fontFiles;
}

/** A new PDF with DejaVu Sans embedded (subset) and its metadata: how every printed document starts. */
export async function newPdf(meta: { title: string; subject?: string; lang?: string; date: Date }) {
  const fonts = await loadFonts();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  doc.setTitle(meta.title.normalize('NFC'), { showInWindowTitleBar: true });
  if (meta.subject) doc.setSubject(meta.subject.normalize('NFC'));
  if (meta.lang) doc.setLanguage(meta.lang);
  doc.setCreator('hanoi247');
  doc.setProducer('hanoi247');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  return { doc, regular, bold };
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const LABEL_WIDTH = 165;
const GAP = 10;
const SIZE = 9.5;
const LEADING = 13;

/** A value as lines of text, nested objects indented, in the form's language. */
function valueLines(value: unknown, lang: FormLanguage, indent = ''): string[] {
  if (value === null || value === undefined) return [`${indent}—`];
  if (typeof value === 'boolean') return [`${indent}${FORM_TEXT[value ? 'yes' : 'no'][lang]}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}—`];
    return value.flatMap((v) => {
      const [first = '', ...rest] = valueLines(v, lang, `${indent}   `);
      return [`${indent}• ${first.trimStart()}`, ...rest];
    });
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${indent}—`];
    return entries.flatMap(([k, v]) => {
      const label = FIELD_LABELS[k]?.[lang] ?? k;
      if (v !== null && typeof v === 'object')
        return [`${indent}${label}:`, ...valueLines(v, lang, `${indent}   `)];
      return [`${indent}${label}: ${valueLines(v, lang)[0]!.trimStart()}`];
    });
  }
  return String(value)
    .split(/\r?\n/)
    .map((line) => `${indent}${line}`);
}

/** Breaks a line into pieces no wider than `width`, at spaces when possible. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  const indent = /^\s*/.exec(text)![0];
  let line = '';
  for (const word of text.trimStart().split(/(?<=\s)/)) {
    const candidate = line === '' ? indent + word : line + word;
    if (font.widthOfTextAtSize(candidate.trimEnd(), size) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') out.push(line.trimEnd());
    line = indent + word;
    // A single word wider than the column is cut wherever it must be.
    while (font.widthOfTextAtSize(line.trimEnd(), size) > width && line.length > indent.length + 1) {
      let cut = line.length - 1;
      while (cut > indent.length + 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
      out.push(line.slice(0, cut));
      line = indent + line.slice(cut);
    }
  }
  if (line.trim() !== '' || out.length === 0) out.push(line.trimEnd());
  return out;
}

/**
 * A banner across the page (EXERCISE, DEMO, CONFIDENTIAL): bold, centred, boxed, at `y` (the top of
 * the free space, A4 margins). Shared by every printed PDF that marks what it is. Answers the new y.
 */
export function drawBanner(page: PDFPage, bold: PDFFont, banner: string, y: number): number {
  const text = banner.normalize('NFC');
  const contentWidth = PAGE.width - 2 * PAGE.margin;
  page.drawRectangle({
    x: PAGE.margin,
    y: y - 20,
    width: contentWidth,
    height: 20,
    borderWidth: 1.5,
    borderColor: rgb(0, 0, 0),
  });
  const width = bold.widthOfTextAtSize(text, 11);
  page.drawText(text, { x: PAGE.margin + (contentWidth - width) / 2, y: y - 15, size: 11, font: bold });
  return y - 28;
}

/** The PDF of a request in one language; the same content as the HTML form. */
export async function renderRequestPdf(
  r: FormInput,
  lang: FormLanguage,
  options: { demo: boolean },
): Promise<Uint8Array> {
  const m = formModel(r, lang, options);
  const nfc = (s: string) => s.normalize('NFC');
  const { doc, regular, bold } = await newPdf({
    title: `${m.title} — ${r.caseReference}`,
    subject: m.convention,
    lang,
    date: new Date(r.createdAt),
  });

  const contentWidth = PAGE.width - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const newPage = () => {
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
  };
  const ensure = (height: number) => {
    if (y - height < PAGE.margin + 20) newPage();
  };
  const text = (s: string, x: number, font: PDFFont, size: number) => {
    page.drawText(nfc(s), { x, y: y - size, size, font, color: rgb(0, 0, 0) });
  };
  const paragraph = (s: string, font: PDFFont, size: number, after: number) => {
    for (const line of wrap(nfc(s), font, size, contentWidth)) {
      ensure(size + 4);
      text(line, PAGE.margin, font, size);
      y -= size + 4;
    }
    y -= after;
  };

  for (const banner of m.banners) {
    ensure(24);
    y = drawBanner(page, bold, banner, y);
  }
  paragraph(m.convention, regular, SIZE, 6);
  paragraph(m.title, bold, 14, 4);
  paragraph(m.idLine, regular, SIZE, 2);
  paragraph(m.addressLine, regular, SIZE, 10);

  const articleWord = FORM_TEXT.article[lang];
  const valueX = PAGE.margin + LABEL_WIDTH + GAP;
  const valueWidth = contentWidth - LABEL_WIDTH - GAP;
  for (const row of m.rows) {
    const label = row.article ? `${row.label} (${articleWord} ${row.article})` : row.label;
    const labelLines = wrap(nfc(label), bold, SIZE, LABEL_WIDTH);
    const lines = valueLines(row.value, lang).flatMap((l) => wrap(nfc(l), regular, SIZE, valueWidth));
    // Keep a row's label with at least its first lines; long values continue on the next page.
    ensure(Math.min(Math.max(labelLines.length, lines.length), 4) * LEADING + 6);
    page.drawLine({
      start: { x: PAGE.margin, y },
      end: { x: PAGE.width - PAGE.margin, y },
      thickness: 0.5,
      color: rgb(0.3, 0.3, 0.3),
    });
    y -= 4;
    const top = y;
    labelLines.forEach((l, i) => {
      page.drawText(l, { x: PAGE.margin, y: top - SIZE - i * LEADING, size: SIZE, font: bold });
    });
    const labelPage = page;
    for (const l of lines) {
      if (y - LEADING < PAGE.margin + 20) newPage();
      text(l, valueX, regular, SIZE);
      y -= LEADING;
    }
    // A label taller than its value decides where the next row starts.
    if (page === labelPage) y = Math.min(y, top - labelLines.length * LEADING);
    y -= 4;
  }
  ensure(90);
  y -= 40;
  page.drawLine({
    start: { x: PAGE.margin, y },
    end: { x: PAGE.margin + 220, y },
    thickness: 0.8,
    color: rgb(0, 0, 0),
  });
  y -= 4;
  text(m.signature, PAGE.margin, regular, SIZE);

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const footer = `${r.caseReference} — ${i + 1} / ${pages.length}`;
    const width = regular.widthOfTextAtSize(footer, 8);
    p.drawText(footer, { x: PAGE.width - PAGE.margin - width, y: PAGE.margin - 20, size: 8, font: regular });
  });
  return doc.save();
}
