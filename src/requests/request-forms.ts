// The printable formal request of a stored request, as HTML or PDF, in the language asked or else
// in the first language the requested State reads (EN when it reads none we print).
import type { DirectoryService } from '../directory/directory-service.ts';
import { type FormLanguage, formLanguageFor } from '../domain/requests/index.ts';
import { renderRequestForm } from './printable-form.ts';
import type { RequestService } from './request-service.ts';

export function createRequestForms(requests: Pick<RequestService, 'get'>, directory: DirectoryService) {
  async function load(id: string, language?: FormLanguage) {
    const r = await requests.get(id);
    const current = await directory.currentOrNull();
    const party = current?.document.parties.find((p) => p.code === r.requestedState);
    const lang = language ?? formLanguageFor(party ? party.authorities.flatMap((a) => a.languages) : []);
    return { r, lang, demo: current?.document.demo === true };
  }

  async function html(id: string, language?: FormLanguage) {
    const { r, lang, demo } = await load(id, language);
    return { html: renderRequestForm(r, lang, { demo }), language: lang };
  }

  /** The PDF, or null for a language the PDF cannot print (the caller sends the HTML form instead). */
  async function pdf(id: string, language?: FormLanguage) {
    const { r, lang, demo } = await load(id, language);
    // pdf-lib and its fonts (some 170 modules) come with the first PDF, not with every start.
    const { PDF_LANGUAGES, renderRequestPdf } = await import('./printable-pdf.ts');
    const printable = PDF_LANGUAGES.includes(lang);
    return {
      pdf: printable ? await renderRequestPdf(r, lang, { demo }) : null,
      language: lang,
      caseReference: r.caseReference,
    };
  }

  return { html, pdf };
}

export type RequestForms = ReturnType<typeof createRequestForms>;
