// Answers made before a request reaches a route — a malformed URL, a path segment over the length
// limit, headers larger than Node accepts, a request Node cannot parse — in the same problem+json
// shape as every other error, so a client has one format to read.
import type { Socket } from 'node:net';
import type { FastifyError } from 'fastify';
import { problemType } from '../../shared/error-catalogue.ts';
import { AppError } from '../../shared/errors.ts';

// Not `import … from 'node:http'`: an ES import of node:http reads every export of the module, and one
// of them loads Node's fetch (undici), some 60 ms of every start. Fastify requires node:http anyway.
const { STATUS_CODES } = process.getBuiltinModule('node:http');

/** The problem for an error Fastify raises before routing (bad URL encoding, too long a path segment). */
export function frameworkProblem(error: FastifyError): AppError {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new AppError('ERR_URI_TOO_LONG', 414, 'A segment of the path is longer than this node accepts.');
  if (error.code === 'FST_ERR_BAD_URL')
    return new AppError('ERR_BAD_URL', 400, 'The URL is not valid: a percent-encoding in it is malformed.');
  return new AppError('ERR_BAD_REQUEST', 400, 'The request could not be routed.');
}

function clientProblem(error: NodeJS.ErrnoException): { status: number; code: string; detail: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      code: 'ERR_HEADERS_TOO_LARGE',
      detail:
        'The request line and headers are larger than this node accepts (16 KiB): shorten the URL or the cookies.',
    };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, code: 'ERR_REQUEST_TIMEOUT', detail: 'The request was not received in time.' };
  return {
    status: 400,
    code: 'ERR_BAD_HTTP',
    detail: 'The request is not valid HTTP/1.1 (a malformed request line, header or chunk).',
  };
}

/** Fastify's clientErrorHandler: writes a problem+json answer on the raw socket, then closes it. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, code, detail } = clientProblem(error);
    const body = JSON.stringify({
      type: problemType(code),
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail,
      code,
    });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
