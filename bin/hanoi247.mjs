#!/usr/bin/env node
// Runs the TypeScript CLI on Node 24 (native type stripping). Under an older system Node it hands over
// to the Node 24 that the project installs as a dev dependency, as a child that stands in for this
// process: a process manager that signals the pid it started (SIGTERM, SIGINT, SIGHUP) reaches the
// node, and the child's exit code or signal becomes this process's own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);
const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP'];

if (major >= 24) {
  // Before the entry is imported: its own TypeScript comes stripped from the cache too, and the
  // type stripper (a WebAssembly module) is then not loaded at all.
  (await import('node:module')).enableCompileCache?.();
  await import(entry);
} else {
  const node24 = join(root, 'node_modules', '.bin', 'node');
  if (!existsSync(node24)) {
    console.error(`hanoi247 needs Node.js 24; this is ${process.version}. Run npm install in ${root} first.`);
    process.exit(1);
  }
  const child = spawn(node24, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal) => {
    // The child may have ended a moment ago; its exit is handled below.
    try {
      child.kill(signal);
    } catch {}
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  child.once('error', (error) => {
    console.error(`hanoi247: could not start Node 24 (${node24}): ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    if (signal) {
      // Ended by a signal: end the same way, so the caller sees what the child saw.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
