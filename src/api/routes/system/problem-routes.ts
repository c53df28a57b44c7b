// The problem `type` of every error body is `/problems/ERR_…` on the node that answered: these routes
// make it resolve, as a page for a person and as JSON for a program. Public: they say nothing about
// the node, only what the error catalogue (src/shared/error-catalogue.ts) says about each code.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import {
  type CatalogueEntry,
  catalogueEntry,
  ERROR_CATALOGUE,
  type ErrorSurface,
  problemType,
} from '../../../shared/error-catalogue.ts';
import { NotFoundError } from '../../../shared/errors.ts';

const SURFACE_NAMES: Record<ErrorSurface, string> = {
  api: 'HTTP API',
  federation: 'federation (answer to a peer node)',
  outbox: 'outgoing message (recorded by the sender)',
  cli: 'command line',
  desk: 'web desk',
  internal: 'internal (never shown as such)',
};

const EntrySchema = Type.Object({
  code: Type.String(),
  type: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  meaning: Type.String(),
  action: Type.String(),
  surfaces: Type.Array(Type.String()),
});

const PROBLEMS_INDEX = '/problems';
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /application\/(problem\+)?json/.test(accept) && !accept.includes('text/html');
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** `code` spans in the catalogue's text (`like this`) become <code>. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — hanoi247</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
dt{font-weight:600;margin-top:1rem}code{font-size:.95em}table{border-collapse:collapse}
td,th{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}</style></head>
<body>${body}</body></html>
`;
}

function entryJson(code: string, entry: CatalogueEntry) {
  return { code, type: problemType(code), ...entry, surfaces: [...entry.surfaces] };
}

function entryPage(code: string, entry: CatalogueEntry): string {
  const status = entry.status === null ? 'not an HTTP answer' : String(entry.status);
  const where = entry.surfaces.map((s) => SURFACE_NAMES[s]).join(', ');
  return page(
    code,
    `<p><a href="${PROBLEMS_INDEX}">All error codes</a></p>
<h1><code>${code}</code>: ${escapeHtml(entry.title)}</h1>
<dl><dt>HTTP status</dt><dd>${status}</dd>
<dt>Where</dt><dd>${escapeHtml(where)}</dd>
<dt>What it means</dt><dd>${inline(entry.meaning)}</dd>
<dt>What to do</dt><dd>${inline(entry.action)}</dd></dl>`,
  );
}

function indexPage(): string {
  const rows = Object.entries(ERROR_CATALOGUE)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, e]) =>
        `<tr><td><a href="${problemType(code)}"><code>${code}</code></a></td><td>${e.status ?? '—'}</td><td>${escapeHtml(e.title)}</td></tr>`,
    )
    .join('\n');
  return page(
    'Error codes',
    `<h1>Error codes of a hanoi247 node</h1>
<table><thead><tr><th>code</th><th>HTTP</th><th>title</th></tr></thead><tbody>
${rows}
</tbody></table>`,
  );
}

/** GET /problems (every code) and GET /problems/:code (one entry), HTML or, on Accept: application/json, JSON. */
export function problemRoutes(app: FastifyInstance, _ctx: NodeContext): void {
  app.get(
    PROBLEMS_INDEX,
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Every error code this node answers (HTML; JSON on Accept: application/json)',
        response: { 200: Type.Object({ problems: Type.Array(EntrySchema) }) },
      },
    },
    async (request, reply) => {
      if (wantsJson(request)) {
        return { problems: Object.entries(ERROR_CATALOGUE).map(([code, e]) => entryJson(code, e)) };
      }
      reply.header('content-security-policy', PAGE_CSP);
      return reply.type('text/html; charset=utf-8').send(indexPage());
    },
  );
  app.get(
    `${PROBLEMS_INDEX}/:code`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'One error code: HTTP status, meaning and what to do (the `type` of a problem body)',
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
        response: { 200: EntrySchema },
      },
    },
    async (request, reply) => {
      const { code } = request.params as { code: string };
      const entry = catalogueEntry(code);
      if (!entry) throw new NotFoundError('Error code', code);
      if (wantsJson(request)) return entryJson(code, entry);
      reply.header('content-security-policy', PAGE_CSP);
      return reply.type('text/html; charset=utf-8').send(entryPage(code, entry));
    },
  );
}
