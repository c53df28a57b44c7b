// The web desk, served by the node itself (same origin as the API, so the session cookie and CSRF
// header work unchanged). Built by `npm run build:web` into dist/web; any other path is the SPA.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NodeContext } from '../../../context.ts';
import { problemBody } from '../../problem.ts';

export const WEB_DIST = resolve(import.meta.dirname, '../../../../dist/web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// Paths that belong to the API and its neighbours: an unknown one there is a 404 problem, never the page.
const NOT_THE_DESK = /^\/(api|taxii2|docs|problems|metrics|healthz|readyz)(\/|$)/;

// Built bundles only load from this origin; inline styles are allowed for the component library.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

type Found = { body: Buffer; type: string; hashed: boolean };

/** The file under the root named by a URL path, or null (never a path outside the root). */
async function findFile(root: string, urlPath: string): Promise<Found | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    const info = await stat(full);
    if (!info.isFile()) return null;
    return {
      body: await readFile(full),
      type: TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
      // Vite names built assets by content hash: they never change under the same name.
      hashed: decoded.startsWith('/assets/'),
    };
  } catch {
    return null;
  }
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

async function sendDesk(root: string, request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0] ?? '/';
  if (NOT_THE_DESK.test(path) || !decodable(path)) return reply.callNotFound();
  const file = path === '/' ? null : await findFile(root, path);
  if (file) {
    reply.header('content-type', file.type);
    if (file.hashed) reply.header('x-web-cache', 'immutable');
    return reply.send(file.body);
  }
  // A missing file with an extension is a missing file; any other path is a page of the desk.
  if (extname(path) !== '') return reply.callNotFound();
  const index = await findFile(root, '/index.html');
  if (!index) {
    return reply
      .status(404)
      .type('application/problem+json; charset=utf-8')
      .send(
        problemBody(
          request,
          404,
          'ERR_WEB_NOT_BUILT',
          'The web desk is not built on this node: run `npm run build:web` (npm start does it).',
        ),
      );
  }
  reply.header('content-type', index.type);
  reply.header('content-security-policy', CSP);
  reply.header('x-frame-options', 'DENY');
  return reply.send(index.body);
}

/** GET / and every page of the desk; static assets of the build. Public: the API behind it is not. */
export function webRoutes(app: FastifyInstance, _ctx: NodeContext, root: string = WEB_DIST): void {
  const options = {
    config: { access: 'public' as const },
    schema: { hide: true },
    // Runs after the app-wide onSend (which says no-store): hashed assets may be kept for good.
    onSend: async (_request: FastifyRequest, reply: FastifyReply) => {
      if (reply.getHeader('x-web-cache') === 'immutable') {
        reply.removeHeader('x-web-cache');
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  };
  app.get('/', options, (request, reply) => sendDesk(root, request, reply));
  app.get('/*', options, (request, reply) => sendDesk(root, request, reply));
}
