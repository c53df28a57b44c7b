// What @fastify/static uses of `glob` (its file list when wildcard routes are off, which swagger-ui's
// assets do not ask for), loaded at the first call instead of when it is registered (fast-resolve.ts).
import { createRequire } from 'node:module';

type Glob = typeof import('glob');

const load = createRequire(import.meta.url);

export function glob(...args: Parameters<Glob['glob']>): ReturnType<Glob['glob']> {
  return (load('glob') as Glob).glob(...args);
}
