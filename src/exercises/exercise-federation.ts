// Exercise traffic that is not a step of a request (issue #18): an indicator shared inside the
// exercise goes to the other participating nodes, and the controller's clock (pause, resume, jump)
// to the nodes that joined. Both travel on the ordinary signed, encrypted channel with the exercise
// id in the signed header; the inbox's exercise gate has already refused them on a node that has not
// joined (or has ended) the exercise when the functions below run, in the inbox transaction.
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import { type ClockState, checkAlertInput, type ExerciseAlertInput } from '../domain/exercises/index.ts';
import type { MessageHeader } from '../domain/federation/index.ts';
import { mayLeaveNode, type TlpLevel } from '../domain/tlp/index.ts';
import { PeerProtocolError } from '../federation/federation-errors.ts';
import { enqueueMessage } from '../federation/outbox-store.ts';
import type { Db } from '../store/database.ts';
import { exerciseActions, exerciseAlerts, exercises } from '../store/schema/index.ts';
import { exerciseClockPort } from './exercise-clock-port.ts';
import type { ExerciseContext } from './exercise-context.ts';
import { clockOf, type ExerciseRow, getExercise, participantsOf } from './exercise-store.ts';

export const EXERCISE_ALERT = 'exercise_alert';
export const EXERCISE_CLOCK = 'exercise_clock';

/** The other States of the exercise that play on their own node (a simulated one has none). */
async function otherNodes(tx: Db, exercise: ExerciseRow): Promise<string[]> {
  const states = (await participantsOf(tx, exercise.id))
    .filter((p) => !p.simulated && p.state !== exercise.nodeState)
    .map((p) => p.state);
  return [...new Set(states)];
}

/** Queues one exercise message (the exercise id in its signed header); 0 in the console, which sends nothing. */
export async function enqueueTo(
  ctx: ExerciseContext,
  tx: Db,
  exercise: ExerciseRow,
  recipient: string,
  type: string,
  body: unknown,
  now: Date,
): Promise<number> {
  if (!ctx.federation) return 0;
  await enqueueMessage(
    tx,
    { recipient, type, requestId: null, body, exerciseId: exercise.id },
    now,
    ctx.federation.lifetimeMs,
  );
  return 1;
}

/** Queues the message for every other State of the exercise that plays on its own node; how many. */
export async function enqueueToAll(
  ctx: ExerciseContext,
  tx: Db,
  exercise: ExerciseRow,
  type: string,
  body: unknown,
  now: Date,
): Promise<number> {
  let sent = 0;
  for (const recipient of await otherNodes(tx, exercise))
    sent += await enqueueTo(ctx, tx, exercise, recipient, type, body, now);
  return sent;
}

/**
 * In the transaction of a share: the alert for the other participating nodes. TLP:RED and
 * AMBER+STRICT stay on this node, as for the hub's real alerts: the exercise trains the same rule.
 */
export async function sendExerciseAlert(
  ctx: ExerciseContext,
  tx: Db,
  exercise: ExerciseRow,
  alert: ExerciseAlertInput & { id: string },
  now: Date,
): Promise<number> {
  if (!mayLeaveNode(alert.tlp as TlpLevel)) return 0;
  return enqueueToAll(ctx, tx, exercise, EXERCISE_ALERT, { alert }, now);
}

/** The clock a controller's change left, as the joined nodes apply it (absolute, so order does not matter). */
export type ClockMessage = {
  status: 'running' | 'paused';
  anchorReal: string;
  anchorElapsedMs: number;
  speed: number;
};

/** In the transaction of a pause, resume or jump on the controller's node: the new clock for the joined nodes. */
export async function sendExerciseClock(
  ctx: ExerciseContext,
  tx: Db,
  exercise: ExerciseRow,
  clock: ClockState,
  now: Date,
): Promise<number> {
  if (exercise.role !== 'controller') return 0;
  const body: ClockMessage = {
    status: clock.paused ? 'paused' : 'running',
    anchorReal: clock.anchorReal.toISOString(),
    anchorElapsedMs: clock.anchorElapsedMs,
    speed: clock.speed,
  };
  return enqueueToAll(ctx, tx, exercise, EXERCISE_CLOCK, body, now);
}

/** The audit entry of a message applied from another node (`node:XX` acts; hashes only, as every entry). */
export function auditFrom(
  tx: Db,
  header: MessageHeader,
  action: string,
  payload: Record<string, unknown>,
  realNow: Date,
) {
  return appendAudit(
    tx,
    {
      actor: `node:${header.from}`,
      action,
      objectType: 'exercise',
      objectId: header.exerciseId as string,
      payload,
    },
    realNow,
  );
}

export function objectOf(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * An alert a participating node shared: kept in the exercise's own table (never the hub's, so no
 * check, TAXII collection or export sees it) and recorded as the sending State's share for the score.
 */
export async function receiveExerciseAlert(
  tx: Db,
  header: MessageHeader,
  body: unknown,
  realNow: Date,
): Promise<string> {
  const id = header.exerciseId as string;
  const raw = objectOf(objectOf(body)?.alert);
  const alertId = raw?.id;
  if (!raw || typeof alertId !== 'string' || !/^[0-9a-f-]{36}$/i.test(alertId))
    throw new PeerProtocolError(
      'An exercise_alert message carries { alert: { id, title, tlp, indicators } }.',
    );
  const checked = checkAlertInput(raw);
  if (!checked.ok)
    throw new PeerProtocolError('The exercise alert does not validate.', { errors: checked.problems });
  const exercise = await getExercise(tx, id);
  const sender = (await participantsOf(tx, id)).some((p) => p.state === header.from && !p.simulated);
  if (!sender) throw new PeerProtocolError(`${header.from} does not play on its own node in exercise ${id}.`);
  if (checked.alert.tlp === 'RED' || checked.alert.tlp === 'AMBER+STRICT')
    throw new PeerProtocolError(`A TLP:${checked.alert.tlp} alert may not leave its node.`);
  const at = await exerciseClockPort.now(tx, id, realNow);
  const inserted = await tx
    .insert(exerciseAlerts)
    .values({
      id: alertId,
      exerciseId: id,
      ...checked.alert,
      source: 'participant',
      createdBy: `node:${header.from}`,
      createdAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: exerciseAlerts.id });
  if (inserted.length === 0) throw new PeerProtocolError(`Alert ${alertId} is already held here.`);
  await tx.insert(exerciseActions).values({
    exerciseId: id,
    step: 'share',
    state: header.from,
    actor: `node:${header.from}`,
    at,
    atMinutes: (at.getTime() - exercise.exerciseStart.getTime()) / 60_000,
    tlp: checked.alert.tlp,
  });
  await auditFrom(
    tx,
    header,
    'exercise.alert.receive',
    { alertId, tlp: checked.alert.tlp, indicators: checked.alert.indicators },
    realNow,
  );
  return id;
}

export function clockMessageOf(body: unknown): ClockMessage {
  const b = objectOf(body);
  const anchorReal = typeof b?.anchorReal === 'string' ? new Date(b.anchorReal) : null;
  if (
    !b ||
    (b.status !== 'running' && b.status !== 'paused') ||
    !anchorReal ||
    Number.isNaN(anchorReal.getTime()) ||
    typeof b.anchorElapsedMs !== 'number' ||
    !Number.isFinite(b.anchorElapsedMs) ||
    b.anchorElapsedMs < 0 ||
    typeof b.speed !== 'number' ||
    !Number.isFinite(b.speed) ||
    b.speed <= 0 ||
    b.speed > 1000
  )
    throw new PeerProtocolError(
      'An exercise_clock message carries { status: running|paused, anchorReal, anchorElapsedMs, speed }.',
    );
  return b as ClockMessage;
}

/**
 * The controller's clock, applied on a node that joined the exercise naming that controller. The
 * message carries the whole clock, not the change: a message that arrives late or after a later
 * one (a retry) is recognised by its older anchor and ignored, so the latest change wins.
 * Returns the exercise id when the clock changed, null when the message was stale.
 */
export async function receiveExerciseClock(
  tx: Db,
  header: MessageHeader,
  body: unknown,
  realNow: Date,
): Promise<string | null> {
  const id = header.exerciseId as string;
  const message = clockMessageOf(body);
  const row = await getExercise(tx, id, true);
  if (row.role !== 'participant' || row.controllerState !== header.from)
    throw new PeerProtocolError(
      `The clock of exercise ${id} on this node is driven by ${row.role === 'controller' ? 'this node' : (row.controllerState ?? 'no other node')}, not ${header.from}.`,
    );
  const anchorReal = new Date(message.anchorReal);
  if (anchorReal.getTime() <= row.anchorReal.getTime()) return null;
  const before = clockOf(row);
  await tx
    .update(exercises)
    .set({
      status: message.status,
      anchorReal,
      anchorElapsedMs: message.anchorElapsedMs,
      speed: message.speed,
      version: row.version + 1,
    })
    .where(eq(exercises.id, id));
  await auditFrom(
    tx,
    header,
    'exercise.clock.follow',
    {
      status: message.status,
      elapsedMs: message.anchorElapsedMs,
      speed: message.speed,
      wasPaused: before.paused,
    },
    realNow,
  );
  return id;
}
