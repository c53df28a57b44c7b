// Typed errors with stable codes. The API maps them once to application/problem+json;
// the CLI prints their message. A 500 never shows internals.

export type FieldProblem = { field: string; message: string; article?: string };

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Bad input: names every field at fault. */
export class ValidationError extends AppError {
  readonly errors: FieldProblem[];
  constructor(errors: FieldProblem[], message?: string) {
    super('ERR_VALIDATION', 400, message ?? summarise(errors));
    this.errors = errors;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    message = 'Sign in first: this needs a session cookie or an API token.',
    code = 'ERR_UNAUTHENTICATED',
  ) {
    super(code, 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(
    message = 'Your role does not allow this.',
    code = 'ERR_FORBIDDEN',
    details?: Record<string, unknown>,
  ) {
    super(code, 403, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('ERR_NOT_FOUND', 404, `${what} '${id}' does not exist.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'ERR_CONFLICT', details?: Record<string, unknown>) {
    super(code, 409, message, details);
  }
}

export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('ERR_RATE_LIMITED', 429, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function summarise(errors: FieldProblem[]): string {
  if (errors.length === 0) return 'The input is not valid.';
  const first = errors[0]!;
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return `${first.field}: ${first.message}${more}`;
}
