import type { FastifyInstance, FastifyReply } from 'fastify';

// Fastify rewrites a content type it sends (it quotes parameters and adds a charset), but STIX and
// TAXII clients compare the media type as the standards spell it: set it verbatim, after serialisation.
const exact = new WeakMap<FastifyReply, string>();

export function sendWithMediaType(reply: FastifyReply, mediaType: string, body: unknown): FastifyReply {
  exact.set(reply, mediaType);
  return reply.send(body);
}

export function setMediaType(reply: FastifyReply, mediaType: string): void {
  exact.set(reply, mediaType);
}

/** Installs the hook in a scope (call once per encapsulated plugin that uses sendWithMediaType). */
export function exactMediaTypes(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply, payload) => {
    const type = exact.get(reply);
    if (type) reply.header('content-type', type);
    return payload;
  });
}
