// The printable formal request (HTML) in the requested State's language, for partners without a
// node who still take paper or e-mail: labels and values in words (form-words.ts), Arabic right to
// left. Every value is escaped.

import type { RequestType } from '../domain/codes.ts';
import { exerciseBanner } from '../domain/exercises/report-labels.ts';
import { CUSTODIAN_UNKNOWN } from '../domain/law/index.ts';
import {
  articleOf,
  FIELD_LABELS,
  FORM_TEXT,
  type FormLanguage,
  REQUEST_SCHEMAS,
  TYPE_TITLES,
} from '../domain/requests/index.ts';
import { basisWords, dateWords, labelWords, stateWords, valueWords } from './form-words.ts';

export type FormInput = {
  id: string;
  type: string;
  status: string;
  caseReference: string;
  createdAt: string;
  legalBasis: { basis: string; treatyRef: string | null };
  body: Record<string, unknown>;
  /** An exercise's request prints EXERCISE above everything (issue #18). */
  exerciseId?: string | null;
};

const html = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

function valueHtml(value: unknown, lang: FormLanguage): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return html(FORM_TEXT[value ? 'yes' : 'no'][lang]);
  if (Array.isArray(value)) return `<ul>${value.map((v) => `<li>${valueHtml(v, lang)}</li>`).join('')}</ul>`;
  if (typeof value === 'object') {
    const rows = Object.entries(value as Record<string, unknown>)
      .map(
        ([k, v]) =>
          `<div><span class="k">${html(FIELD_LABELS[k]?.[lang] ?? k)}:</span> ${valueHtml(v, lang)}</div>`,
      )
      .join('');
    return rows || '—';
  }
  return html(String(value)).replaceAll('\n', '<br>');
}

/** One row of the form: a field's label, the article that requires it, and its value. */
export type FormRow = { name: string; label: string; article: string | null; value: unknown };

/** What both the HTML and the PDF print, in one language (text not yet escaped). */
export type FormModel = {
  lang: FormLanguage;
  title: string;
  banners: string[];
  convention: string;
  idLine: string;
  /** "From: Viet Nam — To: France" in the language. */
  addressLine: string;
  rows: FormRow[];
  signature: string;
};

/** The content of the printable request in one language; the HTML and the PDF lay it out. */
export function formModel(r: FormInput, lang: FormLanguage, options: { demo: boolean }): FormModel {
  const type = r.type as RequestType;
  const schema = REQUEST_SCHEMAS[type];
  const t = (key: keyof typeof FORM_TEXT) => FORM_TEXT[key][lang];
  const body: Record<string, unknown> = {
    ...r.body,
    legalBasis: basisWords(r.legalBasis.basis, r.legalBasis.treatyRef, lang),
  };
  // Art. 42 asks for "any available information": a partner reads that none is, in its language.
  if (isUnknownCustodian(body.custodianOrLocation)) body.custodianOrLocation = t('custodianUnknown');
  const rows = Object.keys(schema.properties)
    .filter((name) => body[name] !== undefined)
    .map((name) => {
      const article = articleOf(schema, `/${name}`);
      return {
        name,
        label: FIELD_LABELS[name]?.[lang] ?? labelWords(name, lang),
        article: article ? article.replace(/^art\. /, '') : null,
        value: valueWords(name, body[name], lang, t('upTo')),
      };
    });
  return {
    lang,
    title: TYPE_TITLES[type][lang],
    banners: [
      ...[exerciseBanner(r.exerciseId, lang)].filter((b) => b !== null),
      ...(options.demo ? [t('demo')] : []),
      ...(r.body.confidentialityRequired === true ? [t('confidential')] : []),
    ],
    convention: t('convention'),
    // The case reference is what a prosecutor quotes back; the node's UUID means nothing to them.
    idLine: `${t('requestId')}: ${r.caseReference} — ${t('date')}: ${dateWords(r.createdAt.slice(0, 10), lang)}`,
    addressLine: `${t('from')}: ${stateWords(String(r.body.requestingState ?? ''), lang)} — ${t('to')}: ${stateWords(String(r.body.requestedState ?? ''), lang)}`,
    rows,
    signature: t('signature'),
  };
}

function isUnknownCustodian(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toUpperCase() === CUSTODIAN_UNKNOWN;
}

/** The whole HTML document of a request in one language. */
export function renderRequestForm(r: FormInput, lang: FormLanguage, options: { demo: boolean }): string {
  const m = formModel(r, lang, options);
  const title = html(m.title);
  const articleWord = html(FORM_TEXT.article[lang]);
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const rows = m.rows
    .map((row) => {
      const ref = row.article ? ` <span class="art">(${articleWord} ${html(row.article)})</span>` : '';
      return `<tr><th scope="row">${html(row.label)}${ref}</th><td>${valueHtml(row.value, lang)}</td></tr>`;
    })
    .join('\n');
  const banners = m.banners.map((b) => `<p class="banner">${html(b)}</p>`).join('');
  return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<title>${title} — ${html(r.caseReference)}</title>
<style>
body{font-family:serif;max-width:48rem;margin:2rem auto;line-height:1.4}
h1{font-size:1.3rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #444;padding:.4rem;vertical-align:top;text-align:start}
th{width:35%}.art{font-weight:normal;font-size:.85em}.k{font-style:italic}
.banner{font-weight:bold;border:2px solid #000;padding:.3rem;text-align:center}
.sign{margin-top:3rem;height:5rem;border-top:1px solid #000}
</style>
</head>
<body>
${banners}
<p>${html(m.convention)}</p>
<h1>${title}</h1>
<p>${html(m.idLine)}</p>
<p>${html(m.addressLine)}</p>
<table>
${rows}
</table>
<p class="sign">${html(m.signature)}</p>
</body>
</html>
`;
}
