// What the players do in an exercise, recorded in the transaction of the step so the score reads
// exactly what committed: a step on an exercise request (from the desk, or recorded from the
// partner's message), or an indicator shared inside the exercise. A step towards a simulated partner
// is not sent over the network: the partner's scripted answers are scheduled as injects instead.
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { checkAlertInput, offsetMinutes } from '../domain/exercises/index.ts';
import type { TransitionChange } from '../requests/request-service.ts';
import { ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Db } from '../store/database.ts';
import { exerciseActions, exerciseAlerts, exerciseInjects } from '../store/schema/index.ts';
import { exerciseClockPort, notRunning } from './exercise-clock-port.ts';
import type { ExerciseActor, ExerciseContext } from './exercise-context.ts';
import { sendExerciseAlert } from './exercise-federation.ts';
import { backOnline, getExercise, participantsOf, scenarioOf } from './exercise-store.ts';

/** A step recorded from the partner's message is the partner's own step. */
const PARTNER_STEPS: Record<string, string> = {
  record_acknowledgement: 'acknowledge',
  record_refusal: 'refuse',
  record_result: 'complete',
  record_execution: 'start_execution',
};

/** The simulated partner's answers to a request sent to it: [scripted delay key, step]. */
const SIMULATED_ANSWERS = [
  ['acknowledgeAfter', 'record_acknowledgement'],
  ['executeAfter', 'record_result'],
] as const;

/**
 * Runs in the transaction of every step on a request (wired in src/main.ts before the outbox hook):
 * records an exercise request's step and answers whether the step's message may go to the partner
 * (false for a simulated partner). Real requests pass straight through.
 */
export async function recordTransition(
  tx: Db,
  nodeState: string,
  change: TransitionChange,
): Promise<boolean> {
  const { row } = change;
  if (!row.exerciseId) return true;
  const exercise = await getExercise(tx, row.exerciseId);
  const partnerStep = PARTNER_STEPS[change.action];
  const state = partnerStep ? row.partnerState : nodeState;
  const atMinutes = (change.now.getTime() - exercise.exerciseStart.getTime()) / 60_000;
  const ground = change.input.ground;
  await tx.insert(exerciseActions).values({
    exerciseId: exercise.id,
    step: partnerStep ?? change.action,
    state,
    actor: partnerStep ? `node:${row.partnerState}` : `node:${nodeState}`,
    at: change.now,
    atMinutes,
    requestId: row.id,
    requestType: row.type,
    partnerState: row.partnerState,
    legalBasis: row.legalBasis,
    ground: typeof ground === 'string' ? ground : null,
  });
  const partner = (await participantsOf(tx, exercise.id)).find(
    (p) => p.state === row.partnerState && p.simulated,
  );
  if (!partner) return true;
  if (change.action === 'send') {
    const behaviour =
      scenarioOf(exercise).participants.find((p) => p.state === partner.state && p.simulated)?.behaviour ??
      {};
    for (const [key, step] of SIMULATED_ANSWERS) {
      const after = offsetMinutes(behaviour[key]);
      if (after === null) continue;
      // A partner that is offline answers once it is back.
      const due = atMinutes + after;
      const back = await backOnline(tx, exercise.id, partner.state, due);
      const injectId = `simulated-${step}-${row.id}`;
      await tx
        .insert(exerciseInjects)
        .values({
          exerciseId: exercise.id,
          injectId,
          kind: 'manual',
          title: `${partner.organisation} (${partner.state}, simulated): ${step.replace('record_', '')}`,
          source: 'simulated',
          atMinutes: back ?? due,
          details: { requestId: row.id, step, state: partner.state },
        })
        .onConflictDoNothing();
    }
  }
  return false;
}

/** A player shares indicators inside the exercise (never with the real hub). */
export async function shareAlert(
  ctx: ExerciseContext,
  actor: ExerciseActor,
  id: string,
  input: { title?: unknown; tlp?: unknown; indicators?: unknown },
) {
  const checked = checkAlertInput(input);
  if (!checked.ok) throw new ValidationError(checked.problems);
  const { indicators } = checked.alert;
  const realNow = ctx.clock.now();
  const alertId = uuidv7(realNow.getTime());
  let sent = 0;
  await ctx.db.transaction(async (tx) => {
    const at = await exerciseClockPort.now(tx, id, realNow);
    const exercise = await getExercise(tx, id);
    if (exercise.status !== 'running') throw notRunning(id, 'is paused');
    await tx.insert(exerciseAlerts).values({
      id: alertId,
      exerciseId: id,
      ...checked.alert,
      source: 'participant',
      createdBy: actor.id,
      createdAt: at,
    });
    await tx.insert(exerciseActions).values({
      exerciseId: id,
      step: 'share',
      state: ctx.nodeState,
      actor: actor.id,
      at,
      atMinutes: (at.getTime() - exercise.exerciseStart.getTime()) / 60_000,
      tlp: checked.alert.tlp,
    });
    // The other participating nodes receive it as exercise traffic (src/exercises/exercise-federation.ts).
    sent = await sendExerciseAlert(ctx, tx, exercise, { id: alertId, ...checked.alert }, realNow);
    // The audit log keeps only the payload's hash: an indicator may be a person's phone or e-mail.
    await appendAudit(
      tx,
      {
        actor: actor.id,
        action: 'exercise.alert.share',
        objectType: 'exercise',
        objectId: id,
        payload: {
          alertId,
          tlp: checked.alert.tlp,
          indicators: indicators.map((x) => ({ type: x.type, value: x.value })),
          sentTo: sent,
        },
      },
      realNow,
    );
  });
  ctx.changed(id);
  if (sent > 0) ctx.federation?.nudge();
  const [row] = await ctx.db.select().from(exerciseAlerts).where(eq(exerciseAlerts.id, alertId));
  return alertView(row!);
}

/** An exercise alert as the API shows it. */
export function alertView(row: typeof exerciseAlerts.$inferSelect) {
  return {
    id: row.id,
    exerciseId: row.exerciseId,
    title: row.title,
    tlp: row.tlp,
    indicators: row.indicators as { type: string; value: string }[],
    source: row.source,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
