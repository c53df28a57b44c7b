// What @fastify/swagger and @fastify/swagger-ui use of `yaml` (stringify, for /docs/yaml), loaded at
// the first call instead of when they are registered (fast-resolve.ts: some 70 modules of a start).
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

const load = createRequire(import.meta.url);

export function stringify(...args: Parameters<Yaml['stringify']>): string {
  return (load('yaml') as Yaml).stringify(...args);
}
