import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { FORM_LANGUAGES, type FormLanguage } from '../../../domain/requests/index.ts';
import { createRequestForms } from '../../../requests/request-forms.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { IdParams, REQUEST_READERS } from './request-access.ts';

const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Enum(FORM_LANGUAGES)) },
  { additionalProperties: false },
);

/**
 * GET /api/v1/requests/:id/form (and form.html, form.pdf): the printable formal request, labels in
 * EN, FR or VI, for partners without a node.
 */
export function requestFormRoute(app: FastifyInstance, ctx: NodeContext): void {
  const forms = createRequestForms(ctx.requests, ctx.directory);
  for (const path of ['/api/v1/requests/:id/form', '/api/v1/requests/:id/form.html']) {
    app.get(
      path,
      {
        config: { access: REQUEST_READERS },
        schema: {
          tags: ['requests'],
          summary:
            "The printable formal request (HTML), in the requested State's language unless `lang` is given",
          params: IdParams,
          querystring: LangQuery,
          response: { 200: Type.String(), 404: ProblemSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { lang } = request.query as { lang?: FormLanguage };
        const form = await forms.html((request.params as { id: string }).id, lang);
        // The desk shows this page in an iframe of its own origin (the print preview).
        return reply
          .header(
            'content-security-policy',
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
          )
          .header('x-frame-options', 'SAMEORIGIN')
          .type('text/html; charset=utf-8')
          .header('content-language', form.language)
          .send(form.html);
      },
    );
  }
  app.get(
    '/api/v1/requests/:id/form.pdf',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary:
          "The printable formal request (PDF), in the requested State's language unless `lang` is given",
        params: IdParams,
        querystring: LangQuery,
        description:
          'Arabic and Chinese are answered with 303 See Other to form.html in that language: the embedded PDF font has no Chinese glyphs and the PDF writer does not shape Arabic.',
        response: { 404: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { lang } = request.query as { lang?: FormLanguage };
      const id = (request.params as { id: string }).id;
      const form = await forms.pdf(id, lang);
      // Chinese and Arabic cannot be printed by the embedded font: the HTML form is the printable one.
      if (form.pdf === null)
        return reply.redirect(
          `/api/v1/requests/${encodeURIComponent(id)}/form.html?lang=${form.language}`,
          303,
        );
      return reply
        .type('application/pdf')
        .header('content-language', form.language)
        .header('content-disposition', `inline; filename="request-${id}-${form.language}.pdf"`)
        .send(Buffer.from(form.pdf));
    },
  );
}
