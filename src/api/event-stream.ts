// The start of a server-sent event stream, the same for every stream the node serves: the caller
// must ask for one, and proxies must neither cache nor buffer it.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';

/** Refuses a caller that did not ask for an event stream (406), else takes over the response. */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  retryMs: number,
): ServerResponse {
  if (!String(request.headers.accept ?? '').includes('text/event-stream'))
    throw new AppError('ERR_NOT_ACCEPTABLE', 406, 'This is an event stream: send Accept: text/event-stream.');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  });
  res.write(`retry: ${retryMs}\n: connected\n\n`);
  return res;
}
