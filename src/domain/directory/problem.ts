// One problem found in a directory document, addressed by a JSON-pointer-like path.

export type DirectoryProblem = { path: string; message: string };

/** Builds a problem whose message starts with the path, so it reads on its own in a log or a CLI. */
export function problem(path: string, text: string): DirectoryProblem {
  const label = path === '' ? 'document' : path.slice(1);
  return { path, message: `${label}: ${text}` };
}

/** Shows a value inside a sentence: strings quoted and shortened, structures named. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Escapes one JSON-pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}
