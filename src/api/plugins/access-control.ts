import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AuthService } from '../../auth/auth-service.ts';
import { hasAnyRole, type Principal, type RouteAccess } from '../../auth/principal.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../auth/session-cookie.ts';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** A public route that checks its own bearer credential (/metrics): not read as an API token. */
    ownCredentials?: boolean;
  }
}

export type RouteRecord = { method: string; url: string; access: RouteAccess };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// What a session may still do while its password, set by an administrator, awaits a change.
const PASSWORD_CHANGE_ROUTES = new Set(['/api/v1/auth/me', '/api/v1/auth/password', '/api/v1/auth/logout']);

/** Routes registered by the OpenAPI plugins, which cannot carry our config and are public by nature. */
function isDocsRoute(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

/**
 * Deny by default: a route that does not declare `config.access` refuses to register, so a forgotten
 * declaration fails at start-up rather than opening a route. Every declared route is recorded for the
 * route × role test and the OpenAPI page.
 */
export function registerAccessControl(
  app: FastifyInstance,
  auth: AuthService,
  routeTable: RouteRecord[],
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = route.config?.access ?? (isDocsRoute(route.url) ? 'public' : undefined);
    if (access === undefined) {
      throw new Error(
        `route ${methods.join(',')} ${route.url} declares no access (config.access): refusing to open it`,
      );
    }
    for (const method of methods) if (method !== 'HEAD') routeTable.push({ method, url: route.url, access });
    if (route.schema && access !== 'public') {
      const schema = route.schema as Record<string, unknown>;
      schema.security = [{ session: [] }, { token: [] }];
      schema['x-roles'] = access === 'authenticated' ? 'any signed-in user' : [...access];
      const roles = access === 'authenticated' ? 'any signed-in user' : access.join(', ');
      schema.description = `${schema.description ? `${schema.description}\n\n` : ''}**Roles:** ${roles}`;
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.ownCredentials && request.routeOptions.config.access === 'public')
      return;
    request.principal = await authenticate(request, auth);
    const access =
      request.routeOptions.config?.access ??
      (isDocsRoute(request.routeOptions.url ?? '') ? 'public' : undefined);
    if (access === 'public') return;
    // No route matched: let the not-found handler answer 404 rather than hide it behind 403.
    if (request.is404) return;
    if (access === undefined) throw new ForbiddenError('This route is closed.');
    const principal = request.principal;
    if (!principal) throw new UnauthenticatedError();
    // A cookie is sent by the browser on its own; a state change must also prove it came from our page.
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      if (request.headers[CSRF_HEADER] !== principal.csrfToken) {
        throw new ForbiddenError(
          `A change made with a session cookie needs the ${CSRF_HEADER} header from sign-in.`,
          'ERR_CSRF',
        );
      }
    }
    if (principal.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(request.routeOptions.url ?? '')) {
      throw new ForbiddenError(
        'An administrator set this password: choose your own first (POST /api/v1/auth/password).',
        'ERR_PASSWORD_CHANGE_REQUIRED',
      );
    }
    if (access !== 'authenticated' && !hasAnyRole(principal, access)) {
      throw new ForbiddenError(`This needs one of the roles ${access.join(', ')}.`, 'ERR_FORBIDDEN', {
        requiredRoles: [...access],
      });
    }
  });
}

/**
 * The principal the request's credentials give (Basic on TAXII, Bearer, or the session cookie); null
 * with none; throws for credentials that give none. Long answers ask it again (stream-guard.ts).
 */
export async function authenticate(request: FastifyRequest, auth: AuthService): Promise<Principal | null> {
  const header = request.headers.authorization;
  // TAXII clients authenticate with HTTP Basic: the username, and an API token as the password.
  const basic = header && request.url.startsWith('/taxii2/') ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (basic) {
    const [username, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    const principal = await auth.principalFromToken(rest.join(':'));
    if (!principal || principal.username !== username)
      throw new UnauthenticatedError(
        'Basic authentication takes your username and one of your API tokens as the password.',
        'ERR_TOKEN',
      );
    return principal;
  }
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await auth.principalFromToken(match[1]!) : null;
    if (!principal)
      throw new UnauthenticatedError('The API token is unknown, revoked or expired.', 'ERR_TOKEN');
    return principal;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) return auth.principalFromSession(cookie);
  return null;
}
