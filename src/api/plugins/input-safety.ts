// Input no route should ever see: U+0000 in any string (PostgreSQL refuses it in text, and it cuts
// C strings elsewhere), in the body, the query, the path or a header. Checked before validation,
// for every route, so a handler or the database never meets it; the answer names the field.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldProblem, ValidationError } from '../../shared/errors.ts';

const MAX_REPORTED = 20;

// Parsed JSON, query strings and headers are plain objects; a raw body stream (a tus PATCH) or a
// Buffer is not walked: its graph reaches the socket and the server, and never ends.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  // Fastify's query and params objects have a prototype whose own prototype is null.
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** The fields of a value holding U+0000, as `part/a/0/b` paths (walked without recursion). */
export function fieldsWithNul(part: string, value: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  const stack: Array<[string, unknown]> = [[part, value]];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const [path, item] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) found.push({ field: path, message: 'must not contain U+0000 (NUL)' });
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([`${path}/${i}`, item[i]]);
    } else if (isPlainObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000'))
          found.push({ field: path, message: 'has a field name with U+0000 (NUL)' });
        stack.push([`${path}/${key.replaceAll('\u0000', '\\u0000')}`, child]);
      }
    }
  }
  return found;
}

function nulProblems(request: FastifyRequest): FieldProblem[] {
  return [
    ...fieldsWithNul('params', request.params),
    ...fieldsWithNul('querystring', request.query),
    ...fieldsWithNul('headers', request.headers),
    ...fieldsWithNul('body', request.body),
  ];
}

/** Refuses U+0000 anywhere in a request with 400 ERR_VALIDATION, before schema validation. */
export function registerInputSafety(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problems = nulProblems(request);
    if (problems.length > 0) throw new ValidationError(problems);
  });
}
