// Turns TypeBox's structural errors into sentences for a duty officer: one problem per field,
// union branches collapsed to the branch the input was evidently aiming at.
import type { TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { type DirectoryProblem, pointerSegment, problem, show } from './problem.ts';

type RawError = {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
};

const MAX_ERRORS = 10_000;

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** Every structural problem of `value` against `schema`, in document order. */
export function schemaProblems(schema: TSchema, value: unknown): DirectoryProblem[] {
  const errors = collapseUnions(allErrors(schema, value));
  const seen = new Set<string>();
  const out: DirectoryProblem[] = [];
  for (const error of errors) {
    for (const p of describe(schema, value, error)) {
      const key = `${p.path}\u0000${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

// TypeBox stops at `maxErrors` (8 by default) per context; a publisher needs every problem. The
// setting is global, so it is raised only for this synchronous call and restored at once.
function allErrors(schema: TSchema, value: unknown): RawError[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_ERRORS });
  try {
    return [...Value.Errors(schema, value)] as RawError[];
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

// For each anyOf failure keep only the branch with the fewest errors at the union's own level:
// if that branch fails only deeper down, its deeper errors are the useful ones; otherwise the
// union's summary message is clearer than the errors of every branch.
function collapseUnions(errors: RawError[]): RawError[] {
  const dropped = new Set<RawError>();
  const unions = errors
    .filter((e) => e.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (dropped.has(union)) continue;
    const prefix = `${union.schemaPath}/anyOf/`;
    const branches = new Map<string, RawError[]>();
    for (const e of errors) {
      // Array items share one schema path, so the instance path tells which element a branch error is about.
      const here =
        e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`);
      if (!here || !e.schemaPath.startsWith(prefix) || dropped.has(e)) continue;
      const index = e.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(index, [...(branches.get(index) ?? []), e]);
    }
    const ranked = [...branches.values()].sort(
      (a, b) => shallow(a, union) - shallow(b, union) || a.length - b.length,
    );
    const best = ranked[0];
    const keep = best && shallow(best, union) === 0 ? best : [];
    for (const list of branches.values()) for (const e of list) if (!keep.includes(e)) dropped.add(e);
    if (keep.length > 0) dropped.add(union);
  }
  return errors.filter((e) => !dropped.has(e));
}

function shallow(list: RawError[], union: RawError): number {
  return list.filter((e) => e.instancePath === union.instancePath).length;
}

function describe(root: TSchema, value: unknown, error: RawError): DirectoryProblem[] {
  const path = error.instancePath;
  const actual = at(value, path);
  if (error.keyword === 'required') {
    const names = (error.params['requiredProperties'] as string[] | undefined) ?? [];
    return names.map((name) =>
      problem(`${path}/${pointerSegment(name)}`, 'is missing; this field is required'),
    );
  }
  if (error.keyword === 'additionalProperties') {
    const names = (error.params['additionalProperties'] as string[] | undefined) ?? [];
    return names.map((name) =>
      problem(`${path}/${pointerSegment(name)}`, 'is not a field of this format (misspelt?)'),
    );
  }
  if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) {
    return [problem(path, 'is not a field of this format (misspelt?)')];
  }
  const sub = schemaAt(root, error.schemaPath);
  const custom = sub && typeof sub['errorMessage'] === 'string' ? sub['errorMessage'] : undefined;
  if (custom)
    return [
      problem(
        path,
        actual === undefined || typeof actual === 'object' ? custom : `${show(actual)} ${custom}`,
      ),
    ];
  return [problem(path, fallback(error, actual))];
}

function fallback(error: RawError, actual: unknown): string {
  const p = error.params;
  switch (error.keyword) {
    case 'type':
      return `must be ${TYPE_NAMES[String(p['type'])] ?? String(p['type'])}, not ${kind(actual)}`;
    case 'const':
      return `must be ${JSON.stringify(p['allowedValue'])}`;
    case 'enum':
      return `${show(actual)} is not one of: ${((p['allowedValues'] as unknown[]) ?? []).join(', ')}`;
    case 'minItems':
      return `must list at least ${String(p['limit'])} item${p['limit'] === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return 'must not list the same value twice';
    case 'minimum':
    case 'maximum':
      return `${show(actual)} must be ${p['comparison'] === '>=' ? 'at least' : 'at most'} ${String(p['limit'])}`;
    case 'anyOf':
      return `${show(actual)} does not match any accepted form`;
    default:
      return `${show(actual)} ${error.message}`;
  }
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text ${show(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return show(value);
  return typeof value === 'object' ? 'an object' : 'nothing';
}

function at(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function schemaAt(root: TSchema, schemaPath: string): Record<string, unknown> | undefined {
  let current: unknown = root;
  for (const key of schemaPath
    .replace(/^#\/?/, '')
    .split('/')
    .filter((k) => k !== '')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : undefined;
}
