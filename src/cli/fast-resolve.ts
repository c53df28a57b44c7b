// A node's start loads some 2,000 modules of its dependencies, most of them by relative paths inside
// their own package ('./column.js', '../type/index.mjs'). Node resolves each one as if it could be
// anything: a stat, a realpath and a look for the package.json that says its format. These kinds are
// resolved here directly; everything else goes through Node's resolution as usual.
// - Drizzle ships some 450 entry points in one package.json of 179 KB, and Node reads that file again
//   for the format of each of Drizzle's own modules it loads: about a quarter of a second of a start.
//   Its package.json says "type": "module" for all of its folder.
// - An `.mjs` file is a module by its name (TypeBox alone is 679 of them at a start): half of TypeBox's
//   loading time was its resolution.
// - A `.js` file a dependency imports (not requires) by a relative path is a module when the nearest
//   package.json above it says "type": "module" (jose and others: some 200 files of a start);
//   each folder's answer is read once. Without that field Node guesses from the file's syntax, so
//   such files, and every require(), stay with Node.
// - The project's own files name a dependency by its package name ('drizzle-orm', 'drizzle-orm/pg-core')
//   some hundred times. Node resolves each such import anew, and for Drizzle that means reading its
//   exports map out of that 179 KB package.json each time: 95 imports took 0.7 s of a restart. The
//   answer is the same for every file of the project (one node_modules above them all), so the first
//   one is kept for the others.
// - The project's own relative imports of its TypeScript files ('./x.ts', some 1,300 at a start): the
//   file's URL, a TypeScript module (the project's package.json says "type": "module").
// A missing file still fails, when it is loaded rather than when it is resolved.
// Two modules a dependency requires when it is registered but uses only on a rare call are put off:
// `yaml` (@fastify/swagger and swagger-ui, for /docs/yaml) and `glob` (@fastify/static) resolve to a
// stand-in of the project (src/cli/deferred/) that loads the real one at its first call.
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const DEPENDENCIES = '/node_modules/';
const DRIZZLE = '/node_modules/drizzle-orm/';

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

/**
 * The module a dependency imports by a relative path to its own files, or null: Node resolves it.
 * `required`: the import is a require(), whose .js files Node reads as CommonJS.
 */
export function directModule(
  specifier: string,
  parentUrl: string | undefined,
  required = false,
): string | null {
  if (!parentUrl?.includes(DEPENDENCIES) || !isRelative(specifier)) return null;
  const mjs = specifier.endsWith('.mjs');
  if (!mjs && (required || !specifier.endsWith('.js'))) return null;
  const url = new URL(specifier, parentUrl).href;
  // Still inside the same dependency's folder: no package boundary or link crossed.
  const root = packageRoot(parentUrl);
  if (packageRoot(url) !== root) return null;
  if (mjs) return parentUrl.endsWith('.mjs') ? url : null;
  return url.includes(DRIZZLE) || scopeIsModule(url, root) ? url : null;
}

/** Whether each folder of a dependency is in a "type": "module" scope, as found so far. */
const moduleScopes = new Map<string, boolean>();

/** Whether the nearest package.json above `url` (at most its package's own) says "type": "module". */
function scopeIsModule(url: string, root: string): boolean {
  const visited: string[] = [];
  let folder = url.slice(0, url.lastIndexOf('/'));
  let found: boolean | undefined;
  while (found === undefined) {
    found = moduleScopes.get(folder);
    if (found !== undefined) break;
    visited.push(folder);
    found = packageType(folder);
    if (found === undefined && folder.length <= root.length) found = false;
    folder = folder.slice(0, folder.lastIndexOf('/'));
  }
  for (const seen of visited) moduleScopes.set(seen, found);
  return found;
}

/** The folder's package.json "type" is "module": true, another or none: false, no package.json: undefined. */
function packageType(folder: string): boolean | undefined {
  let text: string;
  try {
    text = readFileSync(new URL(`${folder}/package.json`), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return (JSON.parse(text) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

function packageRoot(url: string): string {
  const at = url.lastIndexOf(DEPENDENCIES) + DEPENDENCIES.length;
  const rest = url.slice(at).split('/');
  return url.slice(0, at) + rest.slice(0, rest[0]!.startsWith('@') ? 2 : 1).join('/');
}

// The project's root (src/cli/ is two levels down); no folder below it but its own has a node_modules.
const PROJECT = new URL('../../', import.meta.url).href;

/** Whether a URL is a file of the project itself, not of a dependency. */
const isProjectFile = (url: string | undefined): url is string =>
  url?.startsWith(PROJECT) === true && !url.includes(DEPENDENCIES);

/** The project's own TypeScript module a file of the project names by a relative path, or null. */
export function projectModule(specifier: string, parentUrl: string | undefined): string | null {
  if (!isProjectFile(parentUrl) || !isRelative(specifier) || !specifier.endsWith('.ts')) return null;
  const url = new URL(specifier, parentUrl).href;
  return isProjectFile(url) ? url : null;
}

/**
 * The key under which a package name imported by a file of the project itself is kept, or null when
 * the import is not one: relative and absolute paths, node: builtins, imports from a dependency.
 */
export function projectImportKey(
  specifier: string,
  parentUrl: string | undefined,
  conditions: readonly string[] = [],
): string | null {
  if (!isProjectFile(parentUrl) || /^(\.{0,2}\/|[a-z]+:|#)/.test(specifier)) return null;
  return `${specifier}\0${conditions.join(',')}`;
}

/** The stand-ins of the modules put off, by the name the dependencies require. */
const DEFERRED: Record<string, string> = {
  yaml: new URL('./deferred/yaml.ts', import.meta.url).href,
  glob: new URL('./deferred/glob.ts', import.meta.url).href,
};
/** The dependencies whose require() of a module put off gets the stand-in. */
const DEFERRING = [
  '/node_modules/@fastify/swagger/',
  '/node_modules/@fastify/swagger-ui/',
  '/node_modules/@fastify/static/',
];

/**
 * The stand-in for `resolved` (what Node resolved `specifier` to), or null: only for the dependencies
 * above, and only for the very copy of the module that the stand-in loads (the project's own).
 */
export function deferredModule(
  specifier: string,
  parentUrl: string | undefined,
  resolved: string,
): string | null {
  const standIn = Object.hasOwn(DEFERRED, specifier) ? DEFERRED[specifier] : undefined;
  if (!standIn || !DEFERRING.some((folder) => parentUrl?.includes(folder))) return null;
  return resolved.startsWith(`${PROJECT}node_modules/${specifier}/`) ? standIn : null;
}

export function resolveDependenciesDirectly(): void {
  const projectImports = new Map<string, { url: string; format?: string | null }>();
  registerHooks?.({
    resolve(specifier, context, next) {
      const url = directModule(specifier, context.parentURL, context.conditions?.includes('require'));
      if (url) return { url, format: 'module', shortCircuit: true };
      const own = projectModule(specifier, context.parentURL);
      if (own) return { url: own, format: 'module-typescript', shortCircuit: true };
      const key = projectImportKey(specifier, context.parentURL, context.conditions);
      const known = key === null ? undefined : projectImports.get(key);
      if (known) return { ...known, shortCircuit: true };
      const resolved = next(specifier, context);
      if (key !== null) projectImports.set(key, { url: resolved.url, format: resolved.format });
      const standIn = deferredModule(specifier, context.parentURL, resolved.url);
      if (standIn) return { url: standIn, format: 'module-typescript', shortCircuit: true };
      return resolved;
    },
  });
}
