// Implementation indicators and periodic reports (issue #17): live figures and their drill-down for
// approvers, administrators and auditors; building and releasing signed reports; and, without
// sign-in, the released reports and their JSON Schema.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { hasAnyRole } from '../../../auth/principal.ts';
import type { NodeContext } from '../../../context.ts';
import { REPORT_LANGUAGES, type ReportLanguage } from '../../../domain/indicators-report/index.ts';
import { checkFilters } from '../../../reports/compute-indicators.ts';
import { createNodeReports } from '../../../reports/node-reports.ts';
import { createRegionalReports } from '../../../reports/regional-reports.ts';
import { reportCsv } from '../../../reports/report-csv.ts';
import type { SignedReportFile } from '../../../reports/report-document.ts';
import { renderReportHtml } from '../../../reports/report-html.ts';
import { registerIndicatorGauges } from '../../../reports/report-metrics.ts';
import { reportJsonSchema } from '../../../reports/report-schema.ts';
import { errorResponses, pageQuery, pageResponses } from '../../schemas.ts';

const READERS = ['APPROVER', 'ADMIN', 'AUDITOR'] as const;
const BUILDERS = ['APPROVER', 'ADMIN'] as const;
/** Readers who may see which confidential requests a total counts. */
const OVERSIGHT = ['AUDITOR', 'ADMIN'] as const;

const Period = Type.String({ description: 'a year (2026), quarter (2026-Q4) or month (2026-11), UTC' });
const Id = Type.Object({ id: Type.String() });
/** The desk's filters: figures of the requests with these properties only (confidential ones left out). */
const Filters = {
  type: Type.Optional(Type.String({ description: 'request type, e.g. PRESERVATION' })),
  direction: Type.Optional(Type.String({ description: 'INCOMING or OUTGOING' })),
  partner: Type.Optional(Type.String({ description: 'partner State, e.g. FR' })),
  urgency: Type.Optional(Type.String({ description: 'ROUTINE, URGENT or EMERGENCY' })),
  legal_basis: Type.Optional(Type.String({ description: 'legal basis code, e.g. UNCC' })),
};
const FormatQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('pdf'), Type.Literal('html')], {
    default: 'json',
    description:
      'json: the signed report; csv: its figures; pdf: printed with charts (Arabic and Chinese: 303 to html, which the browser prints); html: the printable page',
  }),
  lang: Type.Union(
    REPORT_LANGUAGES.map((l) => Type.Literal(l)),
    { default: 'en', description: 'language of the CSV, PDF or HTML' },
  ),
});

async function sendReport(
  request: FastifyRequest,
  reply: FastifyReply,
  file: SignedReportFile,
  format: string,
  lang: ReportLanguage,
) {
  const name = `report-${file.report.node}-${file.report.period.id}-${lang}`;
  if (format === 'csv') {
    reply.header('content-disposition', `attachment; filename="${name}.csv"`);
    return reply.type('text/csv; charset=utf-8').send(reportCsv(file.report, lang));
  }
  if (format === 'pdf') {
    // pdf-lib comes with the first PDF, not with every start.
    const { isPdfLanguage, renderReportPdf } = await import('../../../reports/report-pdf.ts');
    if (!isPdfLanguage(lang)) {
      // The embedded font has no Chinese glyphs and pdf-lib does not shape Arabic: the browser prints the HTML.
      const path = request.url.split('?')[0]!;
      return reply.redirect(`${path}?format=html&lang=${lang}`, 303);
    }
    const pdf = await renderReportPdf(file.report, lang);
    return reply
      .type('application/pdf')
      .header('content-language', lang)
      .header('content-disposition', `inline; filename="${name}.pdf"`)
      .send(Buffer.from(pdf));
  }
  if (format === 'html') {
    return reply
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
      )
      .header('content-language', lang)
      .type('text/html; charset=utf-8')
      .send(renderReportHtml(file.report, lang));
  }
  return reply.send({ report: file.report, jws: file.jws });
}

export function reportRoutes(app: FastifyInstance, ctx: NodeContext): void {
  const reports = createNodeReports(ctx);
  const regional = createRegionalReports({
    database: ctx.database,
    clock: ctx.clock,
    keyring: ctx.keyring,
    nodeState: ctx.config.nodeState,
    region: ctx.config.reportRegion ?? null,
  });
  registerIndicatorGauges(ctx.metrics.registry, reports, ctx.clock);
  const actor = (request: { principal?: { userId: string } | null }) => ({ id: request.principal!.userId });

  app.get(
    '/api/v1/indicators',
    {
      config: { access: READERS },
      schema: {
        tags: ['reports'],
        summary: 'The implementation indicators of a period, as they are now (small counts suppressed)',
        description:
          'With filters, only requests with those properties count, and confidential requests (which count only in totals) are left out.',
        querystring: Type.Object({ period: Period, ...Filters }),
        response: { ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { period: string } & Record<string, unknown>;
      const { period, threshold, figures, filters } = await reports.liveFigures(q.period, checkFilters(q));
      return { period, suppressionThreshold: threshold, filters, figures };
    },
  );

  app.get(
    '/api/v1/indicators/trace',
    {
      config: { access: READERS },
      schema: {
        tags: ['reports'],
        summary: 'Which requests (or hub objects) and audit entries make up one figure',
        description:
          'Confidential requests count only in totals; they are listed to auditors and administrators, and only counted (`hidden`) for others.',
        querystring: Type.Object({
          period: Period,
          indicator: Type.String(),
          dimension: Type.String({ default: 'total' }),
          group: Type.Optional(Type.String()),
          ...Filters,
        }),
        response: { ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { period: string; indicator: string; dimension: string; group?: string };
      const filters = checkFilters(q as unknown as Record<string, unknown>);
      return reports.traceFigure(q.period, q, hasAnyRole(request.principal!, OVERSIGHT), filters);
    },
  );

  app.post(
    '/api/v1/reports',
    {
      config: { access: BUILDERS },
      schema: {
        tags: ['reports'],
        summary: 'Build, sign and store the report of a period (not public until released by someone else)',
        body: Type.Object({ period: Period }, { additionalProperties: false }),
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const built = await reports.build(actor(request), (request.body as { period: string }).period);
      return reply.code(201).send(built);
    },
  );

  /** The list and the reading of stored reports: all for readers, released ones for everyone. */
  function readingRoutes(
    base: string,
    access: typeof READERS | 'public',
    releasedOnly: boolean,
    who: string,
  ) {
    app.get(
      base,
      {
        config: { access },
        schema: {
          tags: ['reports'],
          summary: `${releasedOnly ? 'Released reports' : 'Stored reports, released or not'}, newest first${who}`,
          querystring: Type.Object(pageQuery()),
          response: pageResponses,
        },
      },
      async (request) => {
        const q = request.query as { after?: string; limit: number };
        return reports.list({ releasedOnly, limit: q.limit, after: q.after });
      },
    );
    app.get(
      `${base}/:id`,
      {
        config: { access },
        schema: {
          tags: ['reports'],
          summary: `A ${releasedOnly ? 'released' : 'stored'} report (signed JSON, CSV, PDF with charts or printable HTML)${who}`,
          params: Id,
          querystring: FormatQuery,
          response: { ...errorResponses },
        },
      },
      async (request, reply) => {
        const q = request.query as { format: string; lang: ReportLanguage };
        const file = await reports.get((request.params as { id: string }).id, releasedOnly);
        return sendReport(request, reply, file, q.format, q.lang);
      },
    );
  }

  readingRoutes('/api/v1/reports', READERS, false, '');

  app.post(
    '/api/v1/reports/:id/release',
    {
      config: { access: BUILDERS },
      schema: {
        tags: ['reports'],
        summary: 'Release a report to the public (four eyes: not by its builder)',
        params: Id,
        response: { ...errorResponses },
      },
    },
    async (request) => reports.release(actor(request), (request.params as { id: string }).id),
  );

  app.get(
    '/api/v1/public/reports/schema.json',
    {
      config: { access: 'public' },
      schema: { tags: ['reports'], summary: 'The JSON Schema of a report' },
    },
    async (_request, reply) => reply.type('application/schema+json').send(reportJsonSchema()),
  );

  readingRoutes('/api/v1/public/reports', 'public', true, ' (no sign-in)');

  app.get(
    '/api/v1/public/regional-reports',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary: 'On a regional hub: the region, and the periods with member reports (no sign-in)',
        response: { ...errorResponses },
      },
    },
    async () => ({ region: regional.isHub ? regional.region : null, periods: await regional.periods() }),
  );

  app.get(
    '/api/v1/public/regional-reports/:period',
    {
      config: { access: 'public' },
      schema: {
        tags: ['reports'],
        summary:
          'On a regional hub: the aggregate of a period over the latest released report of each member, signed by the hub (no sign-in)',
        params: Type.Object({ period: Period }),
        response: { ...errorResponses },
      },
    },
    async (request) => regional.aggregate((request.params as { period: string }).period),
  );
}
