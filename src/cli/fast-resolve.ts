// A node's start loads some 2,000 modules of its dependencies, most of them by relative paths inside
// their own package ('./column.js', '../type/index.mjs'). Node resolves each one as if it could be
// anything: a stat, a realpath and a look for the package.json that says its format. Two kinds are
// resolved here directly; everything else goes through Node's resolution as usual.
// - Drizzle ships some 450 entry points in one package.json of 179 KB, and Node reads that file again
//   for the format of each of Drizzle's own modules it loads: about a quarter of a second of a start.
//   Its package.json says "type": "module" for all of its folder.
// - An `.mjs` file is a module by its name (TypeBox alone is 679 of them at a start): half of TypeBox's
//   loading time was its resolution.
// A missing file still fails, when it is loaded rather than when it is resolved.
import { registerHooks } from 'node:module';

const DEPENDENCIES = '/node_modules/';
const DRIZZLE = '/node_modules/drizzle-orm/';

/** The module a dependency names by a relative path to its own files, or null: Node resolves it. */
export function directModule(specifier: string, parentUrl: string | undefined): string | null {
  if (!parentUrl?.includes(DEPENDENCIES)) return null;
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  if (specifier.endsWith('.mjs') && parentUrl.endsWith('.mjs')) {
    const url = new URL(specifier, parentUrl).href;
    // Still inside the same dependency's folder: no package boundary or link crossed.
    return packageRoot(url) === packageRoot(parentUrl) ? url : null;
  }
  if (parentUrl.includes(DRIZZLE) && specifier.endsWith('.js')) {
    const url = new URL(specifier, parentUrl).href;
    return url.includes(DRIZZLE) ? url : null;
  }
  return null;
}

function packageRoot(url: string): string {
  const at = url.lastIndexOf(DEPENDENCIES) + DEPENDENCIES.length;
  const rest = url.slice(at).split('/');
  return url.slice(0, at) + rest.slice(0, rest[0]!.startsWith('@') ? 2 : 1).join('/');
}

export function resolveDependenciesDirectly(): void {
  registerHooks?.({
    resolve(specifier, context, next) {
      const url = directModule(specifier, context.parentURL);
      if (url) return { url, format: 'module', shortCircuit: true };
      return next(specifier, context);
    },
  });
}
