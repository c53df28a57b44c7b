import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problemType } from '../shared/error-catalogue.ts';
import { AppError, type FieldProblem, TooManyRequestsError, ValidationError } from '../shared/errors.ts';
import { BOUNDED_KEYWORD, boundedMessage } from './plugins/safe-numbers.ts';

/** At most this many field problems are listed; `errorsOmitted` counts the rest (a huge bad array stays a small answer). */
export const MAX_LISTED_ERRORS = 100;

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
};

// Ajv's instancePath is '/a/b'; a missing property names the parent, so append the property itself.
function fieldsFromValidation(error: FastifyError): FieldProblem[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const extra = (v.params as { additionalProperty?: string }).additionalProperty;
    const path = `${v.instancePath}${missing ? `/${missing}` : ''}${extra ? `/${extra}` : ''}`;
    const field = `${context}${path}`;
    const message = missing
      ? 'is required'
      : extra
        ? 'is not a known field'
        : v.keyword === BOUNDED_KEYWORD
          ? boundedMessage((v as { schema?: never }).schema)
          : (v.message ?? 'is not valid');
    return { field, message };
  });
}

/** Turns any thrown error into a problem+json reply; internals of a 500 stay in the log. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let code = 'ERR_INTERNAL';
  let detail = 'Something went wrong on the server. The request id identifies it in the log.';
  let errors: FieldProblem[] | undefined;
  let extra: Record<string, unknown> = {};
  const fastifyError = error as FastifyError;
  if (error instanceof AppError) {
    status = error.status;
    code = error.code;
    detail = error.message;
    if (error instanceof ValidationError) errors = error.errors;
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    extra = error.details ?? {};
  } else if (fastifyError?.validation) {
    status = 400;
    code = 'ERR_VALIDATION';
    errors = fieldsFromValidation(fastifyError);
    const first = errors[0];
    detail = first ? `${first.field}: ${first.message}` : 'The input is not valid.';
  } else if (
    typeof fastifyError?.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    status = fastifyError.statusCode;
    code = stableCode(fastifyError);
    detail = friendlyFastifyMessage(fastifyError);
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code, status, fastifyCode: fastifyError?.code }, 'request refused');
  const body: ProblemBody = {
    ...problemBody(request, status, code, detail),
    ...(errors ? { errors: errors.slice(0, MAX_LISTED_ERRORS) } : {}),
    ...(errors && errors.length > MAX_LISTED_ERRORS ? { errorsOmitted: errors.length - MAX_LISTED_ERRORS } : {}),
    ...extra,
  };
  return reply.status(status).type('application/problem+json; charset=utf-8').send(body);
}

/** Fastify's own 4xx errors (FST_ERR_…) answered under the catalogue's codes. */
export function codeOfClientError(status: number): string {
  if (status === 413) return 'ERR_BODY_TOO_LARGE';
  if (status === 415) return 'ERR_UNSUPPORTED_MEDIA_TYPE';
  return 'ERR_BAD_REQUEST';
}

/** A problem body for a reply made outside the error handler (no route, not ready, desk not built). */
export function problemBody(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
): ProblemBody {
  return {
    type: problemType(code),
    title: titleFor(status),
    status,
    detail,
    code,
    instance: request.url,
    requestId: String(request.id),
  };
}

/** Fastify's own codes (FST_…) are internals that change between versions: the API answers its own. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ERR_BAD_CONTENT_LENGTH',
};

function stableCode(error: FastifyError): string {
  if (error.code && FASTIFY_CODES[error.code]) return FASTIFY_CODES[error.code]!;
  if (error instanceof SyntaxError) return 'ERR_INVALID_JSON';
  return error.code && /^ERR_[A-Z0-9_]+$/.test(error.code) ? error.code : 'ERR_BAD_REQUEST';
}

function friendlyFastifyMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this node accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This content type is not accepted here; send application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The body is empty but the content type says JSON.';
    default:
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return `The body is not valid JSON: ${error.message}`;
      }
      return error.message;
  }
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad request',
    401: 'Unauthenticated',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    409: 'Conflict',
    413: 'Body too large',
    415: 'Unsupported media type',
    422: 'Unprocessable',
    429: 'Too many requests',
    500: 'Internal error',
    503: 'Unavailable',
  };
  return titles[status] ?? 'Error';
}
