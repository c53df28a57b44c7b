// Ajv coerces query strings (and, with coerceTypes, JSON strings) to numbers with `+value`, so
// "Infinity", "1e309" and "1e20" become numbers; its minimum/maximum checks skip non-finite values,
// and an integer the schema leaves unbounded may overflow PostgreSQL. Every integer and number in a
// request schema therefore gets one more keyword, checked after coercion: finite, and for an integer
// a safe integer within PostgreSQL's `integer` unless the schema itself declares wider bounds.
import type { Ajv } from 'ajv';

export const BOUNDED_KEYWORD = 'x-h247-bounded';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

type Bounds = { integer: boolean; min: number; max: number };

/** The message a field gets when it fails the keyword, for the problem+json `errors` list. */
export function boundedMessage(bounds: Bounds | undefined): string {
  if (!bounds) return 'must be a finite number';
  return bounds.integer
    ? `must be a whole number from ${bounds.min} to ${bounds.max}`
    : 'must be a finite number';
}

function boundsOf(node: Record<string, unknown>): Bounds | null {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const integer = types.includes('integer');
  if (!integer && !types.includes('number')) return null;
  const declaredMin = typeof node.minimum === 'number' ? node.minimum : undefined;
  const declaredMax = typeof node.maximum === 'number' ? node.maximum : undefined;
  if (!integer) return { integer, min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
  return {
    integer,
    min: Math.max(Number.MIN_SAFE_INTEGER, Math.min(INT32_MIN, declaredMin ?? INT32_MIN)),
    max: Math.min(Number.MAX_SAFE_INTEGER, Math.max(INT32_MAX, declaredMax ?? INT32_MAX)),
  };
}

/** A copy of a schema with the keyword on every integer and number; the original (and /docs) unchanged. */
export function withBoundedNumbers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withBoundedNumbers);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Literal values are data, not schemas.
    copy[key] =
      key === 'default' || key === 'examples' || key === 'const' ? value : withBoundedNumbers(value);
  }
  const bounds = boundsOf(copy);
  if (bounds) copy[BOUNDED_KEYWORD] = bounds;
  return copy;
}

function withinBounds(bounds: Bounds, data: unknown): boolean {
  if (typeof data !== 'number') return true;
  if (!Number.isFinite(data)) return false;
  if (!bounds.integer) return true;
  return Number.isSafeInteger(data) && data >= bounds.min && data <= bounds.max;
}

/** The Ajv plugin: defines the keyword and puts it into every schema compiled for a request part. */
export function safeNumbersPlugin(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: BOUNDED_KEYWORD,
    schemaType: 'object',
    errors: false,
    validate: withinBounds,
  });
  const compile = ajv.compile.bind(ajv);
  ajv.compile = ((schema: object, meta?: boolean) =>
    compile(withBoundedNumbers(schema) as object, meta)) as typeof ajv.compile;
  return ajv;
}
