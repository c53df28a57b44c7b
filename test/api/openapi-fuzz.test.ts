import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// Property-based fuzzing over the node's own OpenAPI document (issue 16, part 2): every operation,
// with path, query and body values built from its schemas and mixed with hostile ones (wrong types,
// huge and non-finite numbers as strings, NULs, long strings, deep nesting, unknown fields), as an
// anonymous caller, a caller with a role the route declares and one without. Whatever comes in:
// no 5xx, an answer before the deadline, and every error a problem+json with a stable code.
// HANOI247_FUZZ_RUNS sets the runs per operation (default 4; a seed is printed on failure).

const RUNS = Number(process.env.HANOI247_FUZZ_RUNS ?? 4);
const DEADLINE_MS = 30_000;

type Schema = Record<string, any>;
type Operation = { method: string; path: string; op: Schema };

let node: TestNode;
let operations: Operation[] = [];
const tokens = new Map<string, string>();

before(async () => {
  node = await startTestNode();
  const doc = (await (await fetch(`${node.url}/docs/json`)).json()) as { paths: Record<string, Schema> };
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      operations.push({ method: method.toUpperCase(), path, op });
  operations = operations.filter((o) => !o.path.startsWith('/docs'));
  for (const user of await node.ctx.users.list(500)) {
    const { token } = await node.ctx.auth.createToken(user.id, {
      name: 'fuzz',
      scopes: user.roles,
      ttlDays: 1,
    });
    for (const role of user.roles) if (!tokens.has(role)) tokens.set(role, token);
  }
});
after(() => node.close());

const HOSTILE_STRINGS = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e309',
  '1e20',
  '-1',
  '0',
  '99999999999999999999',
  '0x7fffffff',
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\uFFFF\uFFFE',
  '\uD800',
  'null',
  'true',
  '[]',
  '{}',
];

const deep = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(2 ** 31, 2 ** 53, -(2 ** 63), 1e20, 1.5, -0, Number.MAX_VALUE),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(100_000)),
  fc.constant(deep(200)),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.constantFrom(...HOSTILE_STRINGS), { maxKeys: 3 }),
);

/** A value the schema would accept, roughly: literals, bounded numbers, short strings and arrays. */
function plausible(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.string({ maxLength: 12 });
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0)
    return fc.oneof(...alternatives.map((s: Schema) => plausible(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 1000, 1000) });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(plausible(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
      return objectOf(schema, depth);
    default:
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 24, 24) });
  }
}

/** An object of the schema's properties, each plausible or hostile, sometimes with an unknown field. */
function objectOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties))
    fields[name] = fc.oneof(
      { weight: 3, arbitrary: plausible(property, depth + 1) },
      { weight: 1, arbitrary: hostile },
    );
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: schema.required ?? [] }),
      fc.option(fc.tuple(fc.string({ maxLength: 10 }), hostile), { freq: 4 }),
    )
    .map(([record, extra]) => (extra ? { ...record, [extra[0]]: extra[1] } : record));
}

/** A value as it would be typed into a URL (objects as JSON: some have no prototype to print with). */
// A lone surrogate cannot be percent-encoded: it travels as U+FFFD, as a browser would send it.
const text = (v: unknown): string =>
  (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)).toWellFormed();

type Call = { caller: string; path: string; query: string; body: unknown; rawBody: string | null };

function callsFor({ path, op }: Operation): fc.Arbitrary<Call> {
  const parameters: Schema[] = op.parameters ?? [];
  const pathParams = parameters.filter((p) => p.in === 'path');
  const queryParams = parameters.filter((p) => p.in === 'query');
  const roles = Array.isArray(op['x-roles']) ? (op['x-roles'] as string[]) : op['x-roles'] ? ['ADMIN'] : [];
  const outsider = [...tokens.keys()].find((r) => !roles.includes(r));
  const callers = ['anonymous', ...roles.filter((r) => tokens.has(r)), ...(outsider ? [outsider] : [])];
  const segment = fc
    .oneof(plausible(undefined), hostile)
    .map((v) => encodeURIComponent(text(v)).slice(0, 300));
  const queryValue = (p: Schema) =>
    fc
      .oneof(plausible(p.schema), hostile)
      .map((v) => `${encodeURIComponent(p.name)}=${encodeURIComponent(text(v))}`);
  const bodySchema = op.requestBody?.content?.['application/json']?.schema as Schema | undefined;
  return fc.record({
    caller: fc.constantFrom(...callers),
    path: fc.tuple(...pathParams.map(() => segment)).map((values) => {
      let filled = path;
      pathParams.forEach((p, i) => {
        filled = filled.replace(`{${p.name}}`, values[i]! || 'x');
      });
      return filled;
    }),
    query: fc
      .tuple(
        fc.subarray(queryParams).chain((ps) => fc.tuple(...ps.map(queryValue))),
        fc.option(fc.tuple(fc.string({ maxLength: 6 }), hostile), { freq: 4 }),
      )
      .map(([pairs, extra]) => {
        const all = [
          ...pairs,
          ...(extra ? [`${encodeURIComponent(extra[0])}=${encodeURIComponent(text(extra[1]))}`] : []),
        ];
        return all.length > 0 ? `?${all.join('&')}` : '';
      }),
    body: bodySchema
      ? fc.oneof({ weight: 4, arbitrary: plausible(bodySchema) }, { weight: 1, arbitrary: hostile })
      : hostile,
    rawBody: fc.option(
      fc.constantFrom('{"a":', '[[[[[[[[', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'junk.jwe'),
      {
        freq: 8,
      },
    ),
  });
}

async function send(method: string, call: Call) {
  const headers: Record<string, string> = {};
  const token = tokens.get(call.caller);
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    body = call.rawBody ?? JSON.stringify(call.body ?? null);
    headers['content-type'] = call.rawBody === 'junk.jwe' ? 'application/jose' : 'application/json';
  }
  const response = await fetch(`${node.url}${call.path}${call.query}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

function shortReport(details: fc.RunDetails<[Call]>): void {
  if (!details.failed) return;
  const example = JSON.stringify(details.counterexample, (_k, v) =>
    typeof v === 'string' && v.length > 200 ? `${v.slice(0, 60)}…(${v.length} chars)` : v,
  );
  const cause = String((details.errorInstance as Error | undefined)?.message ?? 'interrupted').slice(0, 1500);
  throw new Error(
    `seed ${details.seed}, path ${details.counterexamplePath}: ${cause}\ncounterexample: ${example?.slice(0, 3000)}`,
  );
}

test('every operation of the OpenAPI document survives hostile input: no 5xx, no hang, problem+json errors', async () => {
  assert.ok(operations.length > 50, `${operations.length} operations found`);
  for (const operation of operations) {
    await fc.assert(
      fc.asyncProperty(callsFor(operation), async (call) => {
        const where = `${operation.method} ${call.path}${call.query.slice(0, 200)} as ${call.caller}`;
        const reply = await send(operation.method, call);
        assert.ok(reply.status < 500, `${where} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
        if (reply.status >= 400 && reply.type.startsWith('application/taxii+json')) {
          // TAXII 2.1 (section 3.6) answers its errors in its own media type, with a title and http_status;
          // what fails before routing (a 431) is problem+json like everywhere else.
          assert.ok(operation.path.startsWith('/taxii2'), where);
          assert.equal(JSON.parse(reply.text).http_status, String(reply.status), where);
        } else if (reply.status >= 400) {
          assert.match(reply.type, /^application\/problem\+json/, `${where}: ${reply.type}`);
          assert.match(JSON.parse(reply.text).code, /^ERR_[A-Z0-9_]+$/, where);
        }
      }),
      // The counterexample is printed shortened: a 100 kB string would drown the report.
      { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true, reporter: shortReport },
    );
  }
  const health = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(DEADLINE_MS) });
  assert.equal(health.status, 200, 'the node still answers');
});
