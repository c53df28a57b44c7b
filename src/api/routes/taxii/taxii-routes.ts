import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import type { Viewer } from '../../../hub/hub-types.ts';
import { AppError, NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { versionOf } from '../../../stix/stix-ids.ts';
import { createStixService } from '../../../stix/stix-service.ts';
import { createTaxiiCollections } from '../../../taxii/taxii-collection.ts';
import {
  pagePieces,
  parseTime,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
  type TaxiiEntry,
  type TaxiiQuery,
  taxiiTime,
} from '../../../taxii/taxii-paging.ts';
import { codeOfClientError } from '../../problem.ts';
import { guardDownload } from '../../stream-guard.ts';
import { HUB_ROLES } from '../hub/hub-schemas.ts';
import { exactMediaTypes, sendWithMediaType, setMediaType } from '../hub/media-type.ts';

const ROOT = '/taxii2/hub/';
const MAX_CONTENT_LENGTH = 64 * 1024 * 1024;
const Any = Type.Unknown();
const CollectionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ObjectParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  objectId: Type.String({ maxLength: 300 }),
});
const PagingQuery = Type.Object(
  {
    added_after: Type.Optional(Type.String()),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
    next: Type.Optional(Type.String({ maxLength: 500 })),
    'match[id]': Type.Optional(Type.String()),
    'match[type]': Type.Optional(Type.String()),
    'match[version]': Type.Optional(Type.String()),
    'match[spec_version]': Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

type Status = { owner: string; resource: Record<string, unknown> };

class NotAcceptableError extends AppError {
  constructor() {
    super('ERR_NOT_ACCEPTABLE', 406, `TAXII answers in ${TAXII_MEDIA_TYPE}; send it in Accept.`);
  }
}

class UnsupportedMediaError extends AppError {
  constructor() {
    super('ERR_UNSUPPORTED_MEDIA_TYPE', 415, `Send the envelope as Content-Type: ${TAXII_MEDIA_TYPE}.`);
  }
}

/** Accept must name the TAXII media type (version 2.1, or none) or a range that includes it. */
function acceptsTaxii(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='));
    return !version || version.replace(/"/g, '') === 'version=2.1';
  });
}

/** The TAXII error resource, with the TAXII media type, for every failure under /taxii2/. */
function sendTaxiiError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const fe = error as FastifyError;
  let status = 500;
  let title = 'Internal error';
  let description = 'Something went wrong on the server.';
  let details: Record<string, unknown> | undefined;
  if (error instanceof AppError) {
    status = error.status;
    title = error.code;
    description = error.message;
    if (error instanceof ValidationError) details = { errors: error.errors };
  } else if (fe?.validation) {
    status = 400;
    title = 'ERR_VALIDATION';
    description = fe.message;
  } else if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    status = fe.statusCode;
    title = codeOfClientError(fe.statusCode);
    description = fe.message;
  }
  if (status >= 500) request.log.error({ err: error }, 'TAXII request failed');
  if (status === 401)
    reply.header('www-authenticate', 'Basic realm="hanoi247 TAXII", Bearer realm="hanoi247 TAXII"');
  setMediaType(reply, TAXII_MEDIA_TYPE);
  return reply.status(status).send({
    title,
    description,
    error_id: String(request.id),
    http_status: String(status),
    ...(details ? { details } : {}),
  });
}

/**
 * TAXII 2.1 server: discovery, one API root (the hub), a collection per sharing group the caller's
 * organisation belongs to, objects with pagination, manifest, versions, object by id, status, and
 * adding objects (imported all or nothing, like the STIX import).
 */
export async function taxiiRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const stix = createStixService(ctx.hub, ctx.database);
  const collections = createTaxiiCollections(ctx.hub, stix.store, ctx.database, ctx.logger);
  app.addHook('onClose', async () => collections.stop());
  const statuses = new Map<string, Status>();

  await app.register(async (scope) => {
    exactMediaTypes(scope);
    scope.setErrorHandler((error, request, reply) => sendTaxiiError(error, request, reply));
    scope.addContentTypeParser(
      'application/taxii+json',
      { parseAs: 'string', bodyLimit: MAX_CONTENT_LENGTH },
      (_r, body, done) => {
        try {
          done(null, JSON.parse(body as string));
        } catch (error) {
          done(Object.assign(error as Error, { statusCode: 400 }), undefined);
        }
      },
    );
    scope.addHook('preHandler', async (request) => {
      if (!acceptsTaxii(request.headers.accept)) throw new NotAcceptableError();
    });

    const viewer = (request: FastifyRequest): Viewer => ctx.hub.membership.viewerFor(request.principal!);
    const taxii = (reply: FastifyReply, body: unknown) => sendWithMediaType(reply, TAXII_MEDIA_TYPE, body);
    const collection = (v: Viewer, id: string) => {
      const group = ctx.hub.membership.findGroup(id);
      // A collection the caller may not read does not exist for it.
      if (!group || !v.groupIds.includes(id)) throw new NotFoundError('Collection', id);
      return {
        id: group.id,
        title: group.name,
        description: `${group.kind} sharing group of the early-warning hub`,
        can_read: true,
        can_write: v.orgId !== null,
        media_types: [STIX_MEDIA_TYPE],
      };
    };
    // A page (up to 1,000 objects, megabytes) goes out in pieces and is cut for a slow reader once the
    // credentials that asked no longer hold, as an evidence download is (stream-guard.ts).
    const taxiiPieces = (request: FastifyRequest, reply: FastifyReply, pieces: Iterable<string>) => {
      reply.header('content-type', TAXII_MEDIA_TYPE);
      const body = guardDownload(ctx, request, Readable.from(pieces), HUB_ROLES);
      return sendWithMediaType(reply, TAXII_MEDIA_TYPE, body);
    };
    const dateHeaders = (reply: FastifyReply, first?: string, last?: string) => {
      if (first) reply.header('x-taxii-date-added-first', first);
      if (last) reply.header('x-taxii-date-added-last', last);
    };
    const opts = (summary: string, extra: Record<string, unknown> = {}) => ({
      config: { access: HUB_ROLES },
      schema: { tags: ['taxii'], summary, response: { 200: Any }, ...extra },
    });

    scope.get('/taxii2/', opts('TAXII 2.1 discovery'), async (_request, reply) =>
      taxii(reply, {
        title: `hanoi247 early-warning hub (${ctx.config.nodeName})`,
        description: 'Threat indicators shared under TLP 2.0 by banks, telecoms, platforms and CERTs.',
        default: ROOT,
        api_roots: [ROOT],
      }),
    );

    scope.get(ROOT, opts('TAXII 2.1 API root'), async (_request, reply) =>
      taxii(reply, {
        title: 'Early-warning hub',
        description: 'One collection per sharing group your organisation belongs to.',
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: MAX_CONTENT_LENGTH,
      }),
    );

    scope.get(`${ROOT}collections/`, opts('The collections you may read'), async (request, reply) => {
      const v = viewer(request);
      const list = v.groupIds.map((id) => collection(v, id));
      return taxii(reply, list.length ? { collections: list } : {});
    });

    scope.get(
      `${ROOT}collections/:id/`,
      opts('One collection', { params: CollectionParams }),
      async (request, reply) =>
        taxii(reply, collection(viewer(request), (request.params as { id: string }).id)),
    );

    scope.get(
      `${ROOT}collections/:id/objects/`,
      opts('Objects of a collection, oldest first, a page at a time', {
        params: CollectionParams,
        querystring: PagingQuery,
      }),
      async (request, reply) => {
        const v = viewer(request);
        const id = (request.params as { id: string }).id;
        collection(v, id);
        const p = await collections.page(v, id, request.query as TaxiiQuery);
        dateHeaders(reply, p.first, p.last);
        if (!p.items.length) return taxii(reply, p.more ? { more: true } : {});
        return taxiiPieces(request, reply, pagePieces(p));
      },
    );

    scope.get(
      `${ROOT}collections/:id/manifest/`,
      opts('Manifest of a collection', { params: CollectionParams, querystring: PagingQuery }),
      async (request, reply) => {
        const v = viewer(request);
        const id = (request.params as { id: string }).id;
        collection(v, id);
        const p = await collections.page(v, id, request.query as TaxiiQuery, false);
        dateHeaders(reply, p.first, p.last);
        if (!p.items.length) return taxii(reply, p.more ? { more: true } : {});
        // TAXII 2.1 names no `next` in a manifest, but clients follow one wherever `more` is true.
        const entry = (r: TaxiiEntry) =>
          JSON.stringify({
            id: r.id,
            date_added: taxiiTime(r.addedUs),
            version: r.version,
            media_type: STIX_MEDIA_TYPE,
          });
        return taxiiPieces(request, reply, pagePieces(p, entry));
      },
    );

    scope.get(
      `${ROOT}collections/:id/objects/:objectId/`,
      opts('One object of a collection', { params: ObjectParams, querystring: PagingQuery }),
      async (request, reply) => {
        const v = viewer(request);
        const { id, objectId } = request.params as { id: string; objectId: string };
        collection(v, id);
        const q = { ...(request.query as TaxiiQuery), 'match[id]': objectId };
        if (!(await collections.holds(v, id, objectId))) throw new NotFoundError('Object', objectId);
        const p = await collections.page(v, id, q);
        dateHeaders(reply, p.first, p.last);
        if (!p.items.length) return taxii(reply, {});
        return taxiiPieces(request, reply, pagePieces(p));
      },
    );

    scope.get(
      `${ROOT}collections/:id/objects/:objectId/versions/`,
      opts('Versions of one object (every version a client added; one for objects made from alerts)', {
        params: ObjectParams,
        querystring: PagingQuery,
      }),
      async (request, reply) => {
        const v = viewer(request);
        const { id, objectId } = request.params as { id: string; objectId: string };
        collection(v, id);
        const found = await collections.versions(v, id, objectId);
        if (!found.length) throw new NotFoundError('Object', objectId);
        dateHeaders(reply, taxiiTime(found[0]!.addedUs), taxiiTime(found[found.length - 1]!.addedUs));
        const versions = [...new Set(found.map((r) => r.version))].sort();
        return taxii(reply, { more: false, versions });
      },
    );

    // Every answer under /taxii2/ is a TAXII one, for a path no route serves too (the router tries
    // this wildcard last). Public, so a wrong path is a 404 before it is a 401.
    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/taxii2/*',
      config: { access: 'public' },
      schema: { hide: true },
      handler: async (request) => {
        throw new NotFoundError('TAXII resource', request.url.split('?')[0]!);
      },
    });

    scope.delete(
      `${ROOT}collections/:id/objects/:objectId/`,
      {
        config: { access: HUB_ROLES },
        schema: {
          tags: ['taxii'],
          summary:
            'Delete an object your organisation added (all versions, or match[version]); indicators it made stop matching',
          params: ObjectParams,
          querystring: Type.Object(
            {
              'match[version]': Type.Optional(Type.String()),
              'match[spec_version]': Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          response: { 200: Any },
        },
      },
      async (request, reply) => {
        const v = viewer(request);
        const { id, objectId } = request.params as { id: string; objectId: string };
        const col = collection(v, id);
        if (!col.can_write) throw new NotFoundError('Object', objectId);
        const wanted = (request.query as { 'match[version]'?: string })['match[version]'];
        let versions: string[] | null = null;
        if (wanted && !wanted.split(',').includes('all')) {
          const held = (await stix.store.versions(v, id, objectId)).map((r) => r.version).sort();
          versions = wanted.split(',').flatMap((w) => {
            const t = w.trim();
            if (t === 'last') return held.slice(-1);
            if (t === 'first') return held.slice(0, 1);
            parseTime(t, 'match[version]');
            return held.filter((h) => Date.parse(h) === Date.parse(t));
          });
        }
        const now = ctx.clock.now();
        const { deleted, orphanAlerts } = await stix.store.remove(v, id, objectId, versions, now);
        if (deleted === 0) throw new NotFoundError('Object', objectId);
        collections.touch(id, orphanAlerts);
        for (const alertId of orphanAlerts)
          if (!(await stix.revokeQuietly(v, alertId, 'its STIX indicator was deleted over TAXII')))
            request.log.warn({ alertId }, 'the alert of a deleted indicator was not revoked');
        return taxii(reply, {});
      },
    );

    scope.post(
      `${ROOT}collections/:id/objects/`,
      {
        config: { access: HUB_ROLES },
        bodyLimit: MAX_CONTENT_LENGTH,
        schema: {
          tags: ['taxii'],
          summary: 'Add objects (an envelope); reports become alerts of this group, all or nothing',
          params: CollectionParams,
          body: Any,
          response: { 202: Any },
        },
      },
      async (request, reply) => {
        const type = String(request.headers['content-type'] ?? '').toLowerCase();
        if (!type.startsWith('application/taxii+json')) throw new UnsupportedMediaError();
        const v = viewer(request);
        const id = (request.params as { id: string }).id;
        const col = collection(v, id);
        if (!col.can_write) throw new NotFoundError('Collection', id);
        const envelope = request.body as { objects?: unknown[] };
        const objects = Array.isArray(envelope?.objects) ? envelope.objects : [];
        const requested = taxiiTime(ctx.clock.now().getTime() * 1000);
        // Indicators the hub cannot check are still kept: a TAXII client adds what it has.
        const imported = await stix.importEach(
          v,
          { objects },
          { kind: 'scam_campaign', groupId: id, skipUnsupported: true },
          'taxii',
        );
        const notChecked = new Map(imported.skipped.map((s) => [s.object, s.reason]));
        const bad = new Set(imported.failed.map((f) => f.index));
        const successes = objects
          .map((o, i) => ({ o: o as Record<string, unknown>, i }))
          .filter(({ o, i }) => !bad.has(i) && typeof o?.id === 'string')
          .map(({ o }) => {
            const message = notChecked.get(o.id as string);
            return {
              id: o.id as string,
              version: versionOf(o) || requested,
              ...(message ? { message: `kept; not checked: ${message}` } : {}),
            };
          });
        const failures = imported.failed.map((f) => ({
          id: f.id,
          version: f.version || requested,
          message: f.message,
        }));
        const resource = {
          id: randomUUID(),
          status: 'complete',
          request_timestamp: requested,
          total_count: objects.length,
          success_count: successes.length,
          ...(successes.length ? { successes } : {}),
          failure_count: failures.length,
          ...(failures.length ? { failures } : {}),
          pending_count: 0,
        };
        statuses.set(resource.id, { owner: request.principal!.userId, resource });
        reply.status(202);
        return taxii(reply, resource);
      },
    );

    scope.get(
      `${ROOT}status/:statusId/`,
      opts('Status of an add-objects request (yours only)', {
        params: Type.Object({ statusId: Type.String({ format: 'uuid' }) }),
      }),
      async (request, reply) => {
        const id = (request.params as { statusId: string }).statusId;
        const status = statuses.get(id);
        if (!status || status.owner !== request.principal!.userId) throw new NotFoundError('Status', id);
        return taxii(reply, status.resource);
      },
    );
  });
}
