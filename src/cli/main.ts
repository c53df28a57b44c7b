import { enableCompileCache } from 'node:module';
import { resolveDependenciesDirectly } from './fast-resolve.ts';
import { runCli } from './program.ts';

// The modules of a command (the node: Fastify, drizzle, PGlite, the crypto; over a thousand files)
// are compiled once and kept on disk (Node's compile cache, in the system's temporary folder or
// NODE_COMPILE_CACHE): later starts skip the compilation, about half of a start.
enableCompileCache?.();
resolveDependenciesDirectly();

// A command that keeps running (serve, demo) returns here with its servers open; they keep the process.
process.exitCode = await runCli(process.argv.slice(2));
