// No module of src/ may import itself back through others: a circle (even of types only) means two
// files that can be neither read nor changed alone, and value circles load half-initialised modules.
// The fix is to move what both sides share down a level. Dynamic import() is not counted: it is the
// deliberate way to load a module late.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { isExportDeclaration, isImportDeclaration, isStringLiteral } from 'typescript/unstable/ast/is';
import { fromRoot, sourceFilesUnder, withSyntaxTrees } from './source-files.ts';

/** The files of src/ each file imports statically (import and export … from, types included). */
function importGraph(): Map<string, string[]> {
  const files = sourceFilesUnder('src');
  return withSyntaxTrees(files, (trees) => {
    const graph = new Map<string, string[]>();
    for (const [file, tree] of trees) {
      const targets: string[] = [];
      for (const statement of tree.statements) {
        if (!isImportDeclaration(statement) && !isExportDeclaration(statement)) continue;
        const specifier = statement.moduleSpecifier;
        if (!specifier || !isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
        const target = resolve(dirname(file), specifier.text);
        if (existsSync(target)) targets.push(target);
      }
      graph.set(file, targets);
    }
    return graph;
  });
}

/** The strongly connected components of more than one file, or of one file importing itself (Tarjan). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

test('the cycle finder finds a circle and passes a chain', () => {
  const circle = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cyclesOf(circle), [['a', 'b', 'c']]);
  assert.deepEqual(cyclesOf(new Map([['a', ['a']]])), [['a']]);
  assert.deepEqual(
    cyclesOf(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
    [],
  );
});

test('no module of src/ imports itself back through others', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, `only ${graph.size} source files found`);
  const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
  assert.ok(edges > graph.size, `only ${edges} imports found: the walk misses them`);
  const cycles = cyclesOf(graph).map((c) => c.map(fromRoot).join(' ↔ '));
  assert.deepEqual(cycles, [], `import circles:\n${cycles.join('\n')}`);
});
