// Writes docs/schemas/exercise-scenario.schema.json from the TypeBox schema, its single source
// (test/domain/exercises/scenario.test.ts fails when the file is stale).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioJsonSchema } from '../src/domain/exercises/index.ts';

const target = resolve(import.meta.dirname, '../docs/schemas/exercise-scenario.schema.json');
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
