import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

// Every relative import a dependency makes while the node's modules load (the HTTP API included) is
// answered by the CLI's direct resolution exactly as Node answers it, or left to Node. Run in a child:
// the hook sees each import once, with Node's own answer beside it.
const CHILD = `
import { registerHooks } from 'node:module';
import { directModule } from './src/cli/fast-resolve.ts';
const counts = { direct: 0, scoped: 0, mismatches: [] };
registerHooks({
  resolve(specifier, context, next) {
    const ours = directModule(specifier, context.parentURL, context.conditions?.includes('require'));
    const node = next(specifier, context);
    if (ours !== null) {
      counts.direct++;
      if (specifier.endsWith('.js') && !context.parentURL.includes('/drizzle-orm/')) counts.scoped++;
      if (ours !== node.url || node.format !== 'module')
        counts.mismatches.push([specifier, context.parentURL, ours, node.url, node.format]);
    }
    return node;
  },
});
await import('./src/main.ts');
await import('@fastify/swagger-ui');
console.log(JSON.stringify(counts));
`;

test("a dependency's relative imports resolved directly are the files and formats Node finds", () => {
  const root = new URL('../../', import.meta.url);
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  const counts = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    direct: number;
    scoped: number;
    mismatches: unknown[];
  };
  assert.deepEqual(counts.mismatches, []);
  assert.ok(counts.direct > 1000, `${counts.direct} imports resolved directly`);
  // jose and others: .js files in a "type": "module" package.
  assert.ok(counts.scoped > 100, `${counts.scoped} .js imports found in module scopes`);
});
