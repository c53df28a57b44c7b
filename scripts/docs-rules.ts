// Writes docs/rules.md, the table of every encoded rule of law, from src/domain/law (npm run docs:rules).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderRulesTable } from '../src/domain/law/index.ts';

const target = join(import.meta.dirname, '..', 'docs', 'rules.md');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderRulesTable());
console.log(`wrote ${target}`);
