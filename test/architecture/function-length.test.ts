// No function in the capability folders named here runs over 150 lines: a longer one is a factory
// closure holding many use cases in one scope, which nobody can read, test or change alone. Split it
// into one use case per file (see src/requests/ and src/hub/alerts/). Counted from the first line of
// the function to its last, comments included, as a reader meets it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isArrowFunction,
  isConstructorDeclaration,
  isFunctionDeclaration,
  isFunctionExpression,
  isGetAccessorDeclaration,
  isMethodDeclaration,
  isSetAccessorDeclaration,
} from 'typescript/unstable/ast/is';
import { fromRoot, sourceFilesUnder, withSyntaxTrees } from './source-files.ts';

const MAX_LINES = 150;
const FOLDERS = ['src/requests', 'src/hub'];

type Node = Parameters<typeof isArrowFunction>[0];
const isFunction = (node: Node) =>
  isFunctionDeclaration(node) ||
  isFunctionExpression(node) ||
  isArrowFunction(node) ||
  isMethodDeclaration(node) ||
  isConstructorDeclaration(node) ||
  isGetAccessorDeclaration(node) ||
  isSetAccessorDeclaration(node);

/** Every function of the files with its name (or the line it starts on) and its length in lines. */
function functionLengths(files: readonly string[]): { where: string; lines: number }[] {
  return withSyntaxTrees(files, (trees) => {
    const found: { where: string; lines: number }[] = [];
    for (const [file, tree] of trees) {
      const lineOf = (position: number) => tree.getLineAndCharacterOfPosition(position).line;
      const visit = (node: Node): undefined => {
        if (isFunction(node)) {
          // node.pos includes the comment before the function; its text starts after that.
          const leading = tree.text.slice(node.pos, node.end).search(/\S/);
          const start = lineOf(node.pos + Math.max(0, leading));
          const lines = lineOf(node.end) - start + 1;
          const name = 'name' in node && node.name && 'text' in node.name ? node.name.text : 'function';
          found.push({ where: `${fromRoot(file)}:${start + 1} ${String(name)}`, lines });
        }
        node.forEachChild(visit);
        return undefined;
      };
      tree.forEachChild(visit);
    }
    return found;
  });
}

test(`no function in ${FOLDERS.join(' or ')} is over ${MAX_LINES} lines`, () => {
  const files = FOLDERS.flatMap(sourceFilesUnder);
  const lengths = functionLengths(files);
  assert.ok(lengths.length > 100, `only ${lengths.length} functions found: the walk misses them`);
  const long = lengths.filter((f) => f.lines > MAX_LINES).map((f) => `${f.where}: ${f.lines} lines`);
  assert.deepEqual(long, [], `functions over ${MAX_LINES} lines:\n${long.join('\n')}`);
});
