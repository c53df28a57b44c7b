// `npm start` runs this first: builds the web desk when dist/web is missing or older than its
// sources (src/web and the domain vocabulary it shows), so a fresh clone needs no extra step.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const built = join(root, 'dist/web/index.html');
const sources = [join(root, 'src/web'), join(root, 'src/domain')];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return 0;
  }
}

const sourcesAt = Math.max(...sources.map(newest));
if (builtAt() >= sourcesAt) process.exit(0);
console.log('Building the web desk (dist/web)…');
const vite = join(root, 'node_modules/vite/bin/vite.js');
const run = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'src/web/vite.config.ts')], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
