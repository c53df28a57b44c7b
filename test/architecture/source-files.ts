// The parsed source of the node, for the tests of its shape (import cycles, function length). It asks
// the TypeScript compiler itself (the API of the `typescript` package, which runs its tsgo binary), so
// that strings, comments, regular expressions and JSX are read as the compiler reads them.
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { API } from 'typescript/unstable/sync';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Every .ts and .tsx file under `dir` (a path from the repository root), built output left out. */
export function sourceFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(path);
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

export const fromRoot = (path: string): string => relative(ROOT, path);

type Parsed = NonNullable<ReturnType<ReturnType<typeof programsOf>[number]['getSourceFile']>>;

function programsOf(api: API) {
  const snapshot = api.updateSnapshot({
    openProjects: [join(ROOT, 'tsconfig.json'), join(ROOT, 'src/web/tsconfig.json')],
  });
  return snapshot.getProjects().map((p) => p.program);
}

/** Runs `use` on the syntax tree of each file; the compiler process is closed afterwards. */
export function withSyntaxTrees<T>(files: readonly string[], use: (trees: Map<string, Parsed>) => T): T {
  const api = new API({ cwd: ROOT });
  try {
    const programs = programsOf(api);
    const trees = new Map<string, Parsed>();
    for (const file of files) {
      const tree = programs.map((p) => p.getSourceFile(file)).find((t) => t !== undefined);
      if (!tree) throw new Error(`the compiler does not see ${fromRoot(file)} (not in a tsconfig.json?)`);
      trees.set(file, tree);
    }
    return use(trees);
  } finally {
    api.close();
  }
}
