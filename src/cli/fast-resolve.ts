// Drizzle ships some 450 entry points in one package.json of 179 KB, and Node reads that file again
// for the format of each of Drizzle's own modules it loads: about a quarter of a second of a start.
// Drizzle's modules import each other by relative paths to its own ES modules ('./column.js'), so
// those are resolved here directly; everything else goes through Node's resolution as usual.
import { registerHooks } from 'node:module';

const DRIZZLE = '/node_modules/drizzle-orm/';

export function resolveDrizzleDirectly(): void {
  registerHooks?.({
    resolve(specifier, context, next) {
      const parent = context.parentURL;
      if (
        parent?.includes(DRIZZLE) &&
        (specifier.startsWith('./') || specifier.startsWith('../')) &&
        specifier.endsWith('.js')
      ) {
        const url = new URL(specifier, parent);
        // Still inside Drizzle's folder: its package.json says "type": "module" for all of it.
        if (url.href.includes(DRIZZLE)) return { url: url.href, format: 'module', shortCircuit: true };
      }
      return next(specifier, context);
    },
  });
}
