// The printable request (HTML) in the language asked, or in the first the requested State reads.
import { type FormLanguage, formLanguageFor } from '../../domain/requests/index.ts';
import { renderRequestForm } from '../printable-form.ts';
import type { RequestContext } from './request-types.ts';
import { showRequest } from './show-request.ts';

export async function requestForm(
  ctx: RequestContext,
  id: string,
  language?: FormLanguage,
): Promise<{ html: string; language: FormLanguage }> {
  const r = await showRequest(ctx, ctx.db, id);
  const current = await ctx.directory.currentOrNull();
  const party = current?.document.parties.find((p) => p.code === r.requestedState);
  const lang = language ?? formLanguageFor(party ? party.authorities.flatMap((a) => a.languages) : []);
  return { html: renderRequestForm(r, lang, { demo: current?.document.demo === true }), language: lang };
}
