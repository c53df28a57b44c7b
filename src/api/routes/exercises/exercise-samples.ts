// The sample scenarios shipped with the node (exercises/*.yaml), so the desk's control room can start
// one without a file at hand. Read from the folder on each call: a few small files, and an operator
// may add their own scenarios there.
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses } from '../../schemas.ts';
import { EXERCISE_CONTROLLERS } from './exercise-routes.ts';

export const SAMPLES_DIR = resolve(import.meta.dirname, '../../../../exercises');
const SCENARIO_FILE = /\.(ya?ml|json)$/i;

export type ExerciseSample = { id: string; title: string; scenario: string };

/** The shipped scenarios, by file name; a file that does not parse is listed under its name. */
export async function listExerciseSamples(dir = SAMPLES_DIR): Promise<ExerciseSample[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => SCENARIO_FILE.test(n)).sort();
  } catch {
    return [];
  }
  // The YAML parser comes with the first list, not with every start.
  const { parse } = await import('yaml');
  return Promise.all(
    names.map(async (name) => {
      const scenario = await readFile(join(dir, name), 'utf8');
      const fallback = basename(name, extname(name));
      let head: { id?: unknown; title?: unknown } = {};
      try {
        head = (parse(scenario, { maxAliasCount: 100 }) ?? {}) as typeof head;
      } catch {
        // Listed anyway: starting it shows the parser's problem like any other file's.
      }
      return {
        id: typeof head.id === 'string' ? head.id : fallback,
        title: typeof head.title === 'string' ? head.title : fallback,
        scenario,
      };
    }),
  );
}

export function exerciseSampleRoutes(app: FastifyInstance, _ctx: NodeContext): void {
  app.get(
    '/api/v1/exercises/samples',
    {
      config: { access: EXERCISE_CONTROLLERS },
      schema: {
        tags: ['exercises'],
        summary: 'The sample scenarios shipped with the node (id, title and the file text to start it with)',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Type.String(), title: Type.String(), scenario: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await listExerciseSamples() }),
  );
}
