import { resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The web desk is built from src/web into dist/web, which the node serves at / (src/api/routes/web).
const here = import.meta.dirname;

/** The budget: the JavaScript loaded before first paint stays under 300 kB gzip-compressed. */
const INITIAL_JS_BUDGET = 300 * 1024;

function initialJsBudget(): Plugin {
  return {
    name: 'hanoi247-initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      // Entry chunks and everything they import statically load before the desk can paint.
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        for (const dep of byName.get(fileName)?.imports ?? []) visit(dep);
      };
      for (const c of chunks) if (c.isEntry) visit(c.fileName);
      let raw = 0;
      let gzip = 0;
      let brotli = 0;
      for (const fileName of initial) {
        const code = byName.get(fileName)?.code ?? '';
        raw += Buffer.byteLength(code);
        gzip += gzipSync(code, { level: 9 }).length;
        brotli += brotliCompressSync(code).length;
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
      const line = `initial JavaScript: ${kb(gzip)} gzip, ${kb(brotli)} brotli (${kb(raw)} raw), budget ${kb(INITIAL_JS_BUDGET)} gzip`;
      if (gzip > INITIAL_JS_BUDGET) this.error(line);
      console.log(line);
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), initialJsBudget()],
  build: {
    outDir: resolve(here, '../../dist/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    // One chunk keeps the first paint to two requests; the budget above is what matters.
    chunkSizeWarningLimit: 900,
  },
});
