// Starting an exercise (the controller's node) or joining it (every other participating node, with
// the same scenario file, id, start and speed): one transaction writes the exercise, its participants
// and its scripted injects, with the audit entry. The scenario is refused with every problem listed.
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { sha256Hex } from '../crypto/hash.ts';
import { offsetMinutes, type Scenario, type ScenarioProblem, startClock } from '../domain/exercises/index.ts';
import { AppError, ConflictError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Db } from '../store/database.ts';
import { exerciseInjects, exerciseParticipants, exercises } from '../store/schema/index.ts';
import type { ExerciseActor, ExerciseContext } from './exercise-context.ts';
import { activeExercises, clockColumns, getExercise } from './exercise-store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The States of the directory in force: a scenario may only name these. */
export async function knownStates(ctx: ExerciseContext): Promise<Set<string>> {
  const version = await ctx.directory.currentOrNull();
  return new Set((version?.document.parties ?? []).map((p) => p.code));
}

/** Validates a scenario text; also that this node's State plays in it (a node cannot run a script it has no part in). */
export async function checkScenario(
  ctx: ExerciseContext,
  text: unknown,
): Promise<{ ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] }> {
  if (typeof text !== 'string' && (text === null || typeof text !== 'object')) {
    return {
      ok: false,
      problems: [
        { path: '', code: 'schema', message: 'the scenario must be the text of a YAML or JSON file' },
      ],
    };
  }
  // The YAML parser comes with the first scenario, not with every start.
  const { parseScenarioText } = await import('./scenario-file.ts');
  const result = parseScenarioText(
    typeof text === 'string' ? text : JSON.stringify(text),
    await knownStates(ctx),
  );
  if (!result.ok) return result;
  if (!result.scenario.participants.some((p) => p.state === ctx.nodeState && !p.simulated)) {
    return {
      ok: false,
      problems: [
        {
          path: '/participants',
          code: 'unknown_participant',
          message: `this node (${ctx.nodeState}) is not a participant played by people in the scenario`,
        },
      ],
    };
  }
  return result;
}

export function scenarioError(problems: ScenarioProblem[]): AppError {
  return new AppError(
    'ERR_EXERCISE_SCENARIO',
    400,
    `The scenario does not validate (${problems.length} problem${problems.length === 1 ? '' : 's'}).`,
    {
      errors: problems.map((p) => ({ field: p.path, message: p.message, code: p.code })),
    },
  );
}

type Opening = {
  id: string;
  role: 'controller' | 'participant';
  startedAt: Date;
  speed: number;
  paused: boolean;
  /** The controller's State on a participant; null on the controller's own node. */
  controllerState: string | null;
};

async function writeExercise(
  tx: Db,
  ctx: ExerciseContext,
  actor: ExerciseActor,
  scenario: Scenario,
  text: string,
  o: Opening,
) {
  if ((await activeExercises(tx)).length > 0)
    throw new ConflictError('An exercise already runs on this node; end it first.', 'ERR_EXERCISE_RUNNING');
  const clock = startClock(o.startedAt, o.speed);
  await tx.insert(exercises).values({
    id: o.id,
    scenarioId: scenario.id,
    title: scenario.title,
    scenario,
    scenarioSha256: sha256Hex(text),
    role: o.role,
    nodeState: ctx.nodeState,
    // Started paused, the controller briefs the players first; the clock runs from the resume.
    status: o.paused ? 'paused' : 'running',
    exerciseStart: clock.exerciseStart,
    ...clockColumns(clock),
    startedBy: actor.id,
    startedAt: ctx.clock.now(),
    controllerState: o.controllerState,
  });
  await tx.insert(exerciseParticipants).values(
    scenario.participants.map((p, position) => ({
      exerciseId: o.id,
      position,
      state: p.state,
      organisation: p.organisation,
      simulated: p.simulated === true,
      language: p.language ?? null,
    })),
  );
  if (scenario.injects.length > 0)
    await tx.insert(exerciseInjects).values(
      scenario.injects.map((i) => ({
        exerciseId: o.id,
        injectId: i.id,
        kind: i.kind,
        title: i.title,
        source: 'script',
        atMinutes: offsetMinutes(i.at) ?? 0,
        details: i,
      })),
    );
  await appendAudit(
    tx,
    {
      actor: actor.id,
      action: o.role === 'controller' ? 'exercise.start' : 'exercise.join',
      objectType: 'exercise',
      objectId: o.id,
      payload: {
        scenarioId: scenario.id,
        scenarioSha256: sha256Hex(text),
        speed: o.speed,
        paused: o.paused,
        startedAt: o.startedAt.toISOString(),
      },
    },
    ctx.clock.now(),
  );
}

/** Starts an exercise on this node, which controls it: T+0 is now. */
export async function startExercise(
  ctx: ExerciseContext,
  actor: ExerciseActor,
  input: { scenario?: unknown; speed?: number; paused?: boolean },
) {
  const checked = await checkScenario(ctx, input.scenario);
  if (!checked.ok) throw scenarioError(checked.problems);
  const speed = input.speed ?? checked.scenario.speed ?? 1;
  const now = ctx.clock.now();
  const id = uuidv7(now.getTime());
  const text = typeof input.scenario === 'string' ? input.scenario : JSON.stringify(input.scenario);
  await ctx.db.transaction((tx) =>
    writeExercise(tx, ctx, actor, checked.scenario, text, {
      id,
      role: 'controller',
      startedAt: now,
      speed,
      paused: input.paused === true,
      controllerState: null,
    }),
  );
  ctx.changed(id);
  return getExercise(ctx.db, id);
}

/** Joins an exercise another node started, with the same file, id, start and speed. */
export async function joinExercise(
  ctx: ExerciseContext,
  actor: ExerciseActor,
  input: {
    exerciseId?: string;
    scenario?: unknown;
    startedAt?: string;
    speed?: number;
    paused?: boolean;
    controller?: string;
  },
) {
  const problems = [];
  if (typeof input.exerciseId !== 'string' || !UUID.test(input.exerciseId))
    problems.push({ field: '/exerciseId', message: 'must be the id the controller shows' });
  const startedAt = typeof input.startedAt === 'string' ? new Date(input.startedAt) : null;
  if (!startedAt || Number.isNaN(startedAt.getTime()))
    problems.push({ field: '/startedAt', message: 'must be the ISO 8601 start the controller shows' });
  if (problems.length > 0) throw new ValidationError(problems);
  const checked = await checkScenario(ctx, input.scenario);
  if (!checked.ok) throw scenarioError(checked.problems);
  // The controller's node drives the clock here (its pause, resume and jumps arrive over federation):
  // it must be another State that plays the exercise on its own node. Without it, this node's clock
  // is its own administrator's alone.
  const controller = input.controller ?? null;
  if (
    controller !== null &&
    (controller === ctx.nodeState ||
      !checked.scenario.participants.some((p) => p.state === controller && p.simulated !== true))
  )
    throw new ValidationError([
      {
        field: '/controller',
        message: 'must be the State of the controller’s node, another State that plays on its own node',
      },
    ]);
  const id = input.exerciseId as string;
  const speed = input.speed ?? checked.scenario.speed ?? 1;
  const text = typeof input.scenario === 'string' ? input.scenario : JSON.stringify(input.scenario);
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: exercises.id }).from(exercises).where(eq(exercises.id, id));
    if (existing) throw new ConflictError(`This node already holds exercise ${id}.`, 'ERR_EXERCISE_RUNNING');
    await writeExercise(tx, ctx, actor, checked.scenario, text, {
      id,
      role: 'participant',
      startedAt: startedAt as Date,
      speed,
      paused: input.paused === true,
      controllerState: controller,
    });
  });
  ctx.changed(id);
  return getExercise(ctx.db, id);
}
