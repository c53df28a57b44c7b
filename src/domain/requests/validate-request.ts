// Validates a request against the schema of its type, then the rules a schema cannot express.
// Every problem names the field (a JSON pointer) and the article that requires it.
import type { TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { REQUEST_TYPES, type RequestType } from '../codes.ts';
import { FACTS_NOT_NEEDED_FOR } from '../law/unverified.ts';
import { refusedValue } from '../refused-value.ts';
import { REQUEST_SCHEMAS } from './request-schemas.ts';

export type RequestProblem = { field: string; message: string; article?: string };
export type RequestValidation =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: RequestProblem[] };

type RawError = { keyword: string; instancePath: string; params: Record<string, unknown>; message: string };

/** True when `value` names a request type of the catalogue. */
export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && (REQUEST_TYPES as readonly string[]).includes(value);
}

/** Checks a request body of the given type; lists every problem at once. */
export function validateRequest(type: RequestType, input: unknown): RequestValidation {
  const schema = REQUEST_SCHEMAS[type];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'a request must be a JSON object' }] };
  }
  const errors = [
    ...structuralProblems(schema, input),
    ...ruleProblems(type, input as Record<string, unknown>),
  ];
  return errors.length === 0 ? { ok: true, value: input as Record<string, unknown> } : { ok: false, errors };
}

function structuralProblems(schema: TSchema, input: unknown): RequestProblem[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: 1000 });
  let raw: RawError[];
  try {
    raw = [...Value.Errors(schema, input)] as RawError[];
  } finally {
    Settings.Set({ maxErrors: previous });
  }
  const out: RequestProblem[] = [];
  const seen = new Set<string>();
  const push = (p: RequestProblem) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const e of raw) {
    if (e.keyword === 'required') {
      for (const name of (e.params.requiredProperties as string[]) ?? []) {
        const field = `${e.instancePath}/${name}`;
        push(withArticle(schema, field, { field, message: 'is required' }));
      }
    } else if (e.keyword === 'additionalProperties') {
      for (const name of (e.params.additionalProperties as string[]) ?? []) {
        push({ field: `${e.instancePath}/${name}`, message: 'is not a field of this request type' });
      }
    } else if (e.keyword === 'boolean') {
      push({ field: e.instancePath, message: 'is not a field of this request type' });
    } else {
      const message = namingValue(input, e.instancePath, describe(e));
      push(withArticle(schema, e.instancePath, { field: e.instancePath, message }));
    }
  }
  return out;
}

/** A refused scalar is named in the message (offence codes, identifier kinds, dates...). */
function namingValue(input: unknown, pointer: string, reason: string): string {
  let node: unknown = input;
  for (const segment of pointer.split('/').filter((s) => s !== '')) {
    if (node === null || typeof node !== 'object') return reason;
    node = (node as Record<string, unknown>)[segment];
  }
  const scalar = typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean';
  return scalar ? refusedValue(node, reason) : reason;
}

function describe(e: RawError): string {
  switch (e.keyword) {
    case 'enum':
      return `must be one of ${((e.params.allowedValues as unknown[]) ?? []).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(e.params.allowedValue)}`;
    case 'minItems':
      return `must list at least ${String(e.params.limit)}`;
    case 'maxItems':
      return `must list at most ${String(e.params.limit)} (keep personal data to the minimum)`;
    case 'minLength':
      return 'must not be empty';
    case 'format':
      return e.params.format === 'date-time'
        ? 'must be an ISO 8601 date-time with time zone'
        : `must be a ${String(e.params.format)}`;
    default:
      return e.message;
  }
}

/** The innermost `x-article` on the path from the root schema to the field. */
export function articleOf(schema: TSchema, pointer: string): string | undefined {
  let node: Record<string, unknown> | undefined = schema as unknown as Record<string, unknown>;
  let article = node['x-article'] as string | undefined;
  for (const segment of pointer.split('/').filter((s) => s !== '')) {
    if (!node) break;
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    const next: Record<string, unknown> | undefined =
      props?.[segment] ?? (/^\d+$/.test(segment) ? (node.items as Record<string, unknown>) : undefined);
    node = next;
    if (node && typeof node['x-article'] === 'string') article = node['x-article'] as string;
  }
  return article;
}

function withArticle(schema: TSchema, pointer: string, problem: RequestProblem): RequestProblem {
  const article = articleOf(schema, pointer);
  return article ? { ...problem, article } : problem;
}

function ruleProblems(type: RequestType, input: Record<string, unknown>): RequestProblem[] {
  const out: RequestProblem[] = [];
  const urgency = input.urgency;
  const justification = input.emergencyJustification;
  if (urgency === 'EMERGENCY' && (typeof justification !== 'string' || justification.trim() === '')) {
    out.push({
      field: '/emergencyJustification',
      message:
        'an emergency request must state the significant and imminent risk to the life or safety of a person',
      article: 'art. 2',
    });
  }
  if (type === 'EMERGENCY_DISCLOSURE' && urgency !== undefined && urgency !== 'EMERGENCY') {
    out.push({
      field: '/urgency',
      message: 'emergency disclosure is only for an emergency (urgency EMERGENCY)',
      article: 'art. 2',
    });
  }
  if (typeof input.requestingState === 'string' && input.requestingState === input.requestedState) {
    out.push({
      field: '/requestedState',
      message: 'must differ from the requesting State',
      article: 'art. 40',
    });
  }
  const window = input.collectionWindow as { start?: unknown; end?: unknown } | undefined;
  if (window && typeof window.start === 'string' && typeof window.end === 'string') {
    if (!(Date.parse(window.end) > Date.parse(window.start))) {
      out.push({
        field: '/collectionWindow/end',
        message: 'must be after the start',
        article: type === 'MLA_INTERCEPTION' ? 'art. 46' : 'art. 45',
      });
    }
  }
  const range = input.dateRange as { from?: unknown; to?: unknown } | undefined;
  if (
    range &&
    typeof range.from === 'string' &&
    typeof range.to === 'string' &&
    Date.parse(range.to) < Date.parse(range.from)
  ) {
    out.push({ field: '/dateRange/to', message: 'must not be before the start', article: 'art. 42' });
  }
  if (type === 'MLA_GENERAL' && input.factsSummary === undefined && !serviceOnly(input.assistanceSought)) {
    out.push({
      field: '/factsSummary',
      message: 'is required (only a request for service of judicial documents alone may omit it)',
      article: 'art. 40',
    });
  }
  if (input.deadline !== undefined && input.deadlineReason === undefined) {
    out.push({
      field: '/deadlineReason',
      message: 'a deadline asked for needs its reasons',
      article: 'art. 40',
    });
  }
  if (type === 'JOINT_INVESTIGATION' && Array.isArray(input.participatingStates)) {
    for (const side of ['requestingState', 'requestedState'] as const) {
      const code = input[side];
      if (typeof code === 'string' && !input.participatingStates.includes(code)) {
        out.push({ field: '/participatingStates', message: `must include ${code}`, article: 'art. 48' });
      }
    }
  }
  return out;
}

/** True for a request that asks only for service of judicial documents (art. 40 [U]). */
function serviceOnly(measures: unknown): boolean {
  return (
    Array.isArray(measures) && measures.length > 0 && measures.every((m) => FACTS_NOT_NEEDED_FOR.includes(m))
  );
}
