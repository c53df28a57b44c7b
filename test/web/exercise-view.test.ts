// The desk's exercise logic without a browser: the exercise clock between two readings of the node,
// absolute targets of expected actions, the score, what a participant must do next, and which list an
// item belongs in (real work and each exercise apart).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUEST_TYPES } from '../../src/domain/codes.ts';
import { REQUEST_SCHEMAS } from '../../src/domain/requests/request-schemas.ts';
import type { JsonSchema } from '../../src/web/api/types.ts';
import { belongsIn, exerciseOf } from '../../src/web/exercises/exercise-scope.ts';
import type { Exercise } from '../../src/web/exercises/exercise-types.ts';
import {
  clockOf,
  currentExercise,
  elapsedNow,
  exerciseTimeFn,
  formatElapsed,
  injectLines,
  nextExpected,
  scoreCounts,
  scoredActions,
  scorePercent,
  timelineOrder,
} from '../../src/web/exercises/exercise-view.ts';
import { fromPayload } from '../../src/web/exercises/prefill.ts';
import { toPayload } from '../../src/web/forms/schema-values.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';

const MIN = 60_000;

function exercise(over: Partial<Exercise> = {}): Exercise {
  return {
    id: 'ex-1',
    scenarioId: 'bilateral-emergency-vn-fr',
    title: 'Emergency disclosure Viet Nam – France',
    status: 'running',
    role: 'controller',
    nodeState: 'VN',
    speed: 72,
    startedAt: '2026-12-07T09:30:00.000Z',
    endedAt: null,
    clock: {
      exerciseStart: '2026-12-07T09:30:00.000Z',
      now: '2026-12-07T12:30:00.000Z',
      elapsedMinutes: 180,
      durationMinutes: 4320,
      paused: false,
    },
    participants: [
      { state: 'VN', organisation: 'VN 24/7', simulated: false, joined: true },
      { state: 'FR', organisation: 'OFAC', simulated: true, joined: true },
    ],
    injects: [
      {
        id: 'emergency-request',
        atMinutes: 0,
        kind: 'incoming_request',
        title: 'France asks for subscriber data',
        from: 'FR',
        status: 'fired',
        firedAt: '2026-12-07T09:40:00.000Z',
        requestId: 'req-1',
        alertId: null,
      },
      {
        id: 'wallet-alert',
        atMinutes: 120,
        kind: 'hub_alert',
        title: 'Ransomware wallet',
        from: 'FR',
        status: 'pending',
        firedAt: null,
        requestId: null,
        alertId: null,
      },
    ],
    actions: [
      {
        id: 'ack',
        kind: 'acknowledge',
        inject: 'emergency-request',
        by: 'VN',
        targetMinutes: 30,
        outcome: 'met',
        takenMinutes: 12,
      },
      {
        id: 'share',
        kind: 'share_indicator',
        inject: 'wallet-alert',
        by: 'VN',
        targetMinutes: 60,
        outcome: 'pending',
        takenMinutes: null,
      },
      {
        id: 'basis',
        kind: 'choose_legal_basis',
        by: 'FR',
        targetMinutes: 240,
        outcome: 'pending',
        takenMinutes: null,
      },
      {
        id: 'preserve',
        kind: 'preserve',
        inject: 'emergency-request',
        by: 'VN',
        targetMinutes: 90,
        outcome: 'pending',
        takenMinutes: null,
      },
    ],
    score: { met: 1, late: 0, missed: 0, wrong: 0, pending: 3, total: 4 },
    ...over,
  };
}

test('the exercise clock runs on at its speed from the node’s reading, and stands still when paused', () => {
  const received = 1_000_000;
  const running = clockOf(exercise(), received);
  assert.equal(elapsedNow(running, received), 180 * MIN);
  // One real minute is 72 exercise minutes.
  assert.equal(elapsedNow(running, received + MIN), 252 * MIN);
  // A browser clock behind the node's never makes it run backwards.
  assert.equal(elapsedNow(running, received - MIN), 180 * MIN);
  const paused = clockOf(exercise({ status: 'paused' }), received);
  assert.equal(elapsedNow(paused, received + 10 * MIN), 180 * MIN);
  const pausedFlag = clockOf(exercise({ clock: { ...exercise().clock, paused: true } }), received);
  assert.equal(elapsedNow(pausedFlag, received + 10 * MIN), 180 * MIN);
  const ended = clockOf(exercise({ status: 'ended' }), received);
  assert.equal(elapsedNow(ended, received + 10 * MIN), 180 * MIN);
  // Deadlines inside the exercise count on its time: T+0 is the exercise start.
  const toExercise = exerciseTimeFn(exercise(), received);
  assert.equal(new Date(toExercise(received)).toISOString(), '2026-12-07T12:30:00.000Z');
  assert.equal(new Date(toExercise(received + MIN)).toISOString(), '2026-12-07T13:42:00.000Z');
});

test('T+ times count hours past a day, seconds included', () => {
  assert.equal(formatElapsed(0), 'T+00:00:00');
  assert.equal(formatElapsed(72 * 60 * MIN), 'T+72:00:00');
  assert.equal(formatElapsed(3 * 60 * MIN + 5 * MIN + 7_900), 'T+03:05:07');
  assert.equal(formatElapsed(-90_000), 'T−00:01:30');
});

test('a target counts from when its inject fired, or is due to fire, or from T+0', () => {
  const byId = new Map(scoredActions(exercise()).map((a) => [a.id, a]));
  // Fired at T+10 min, 30 min to acknowledge.
  assert.equal(byId.get('ack')?.dueMs, 40 * MIN);
  assert.equal(byId.get('ack')?.takenMs, 12 * MIN);
  assert.equal(byId.get('ack')?.subjectId, 'req-1');
  // Not fired yet: due from the script's T+120.
  assert.equal(byId.get('share')?.dueMs, 180 * MIN);
  assert.equal(byId.get('share')?.takenMs, null);
  // No inject: from T+0.
  assert.equal(byId.get('basis')?.dueMs, 240 * MIN);
  assert.equal(byId.get('basis')?.inject, null);
});

test('the score counts every outcome and the share met in time', () => {
  const actions = scoredActions(exercise());
  assert.deepEqual(scoreCounts(actions), { pending: 3, met: 1, late: 0, missed: 0, wrong: 0 });
  assert.equal(scorePercent(actions), 100);
  const mixed = actions.map((a, i) => ({ ...a, status: (['met', 'late', 'wrong', 'missed'] as const)[i]! }));
  assert.equal(scorePercent(mixed), 25);
  assert.equal(scorePercent(actions.map((a) => ({ ...a, status: 'pending' as const }))), null);
});

test('what is expected next: this node’s pending actions, soonest first, overdue ones marked', () => {
  const actions = scoredActions(exercise());
  const next = nextExpected(actions, ['VN'], 100 * MIN);
  assert.deepEqual(
    next.map((a) => a.id),
    ['preserve', 'share'],
  );
  assert.equal(next[0]!.overdue, false);
  assert.equal(next[0]!.remainingMs, 0);
  const later = nextExpected(actions, ['VN'], 110 * MIN);
  assert.equal(later[0]!.overdue, true);
  assert.equal(later[0]!.remainingMs, -10 * MIN);
  // FR's action is not VN's business; without actors, everybody's.
  assert.deepEqual(
    nextExpected(actions, [], 0).map((a) => a.id),
    ['preserve', 'share', 'basis'],
  );
});

test('the time line shows fired injects by when they fired, then the rest by when they are due', () => {
  const lines = timelineOrder(
    injectLines(
      exercise({
        injects: [
          { ...exercise().injects[1]!, id: 'late-one', atMinutes: 300 },
          { ...exercise().injects[1]!, id: 'soon', atMinutes: 60 },
          exercise().injects[0]!,
        ],
      }),
    ),
  );
  assert.deepEqual(
    lines.map((l) => l.id),
    ['emergency-request', 'soon', 'late-one'],
  );
  assert.equal(lines[0]!.firedAtMs, 10 * MIN);
});

test('a participant sees the newest exercise still open, never an ended one', () => {
  const old = exercise({ id: 'old', startedAt: '2026-12-01T00:00:00Z' });
  const recent = exercise({ id: 'recent', startedAt: '2026-12-07T00:00:00Z', status: 'paused' });
  const over = exercise({ id: 'over', startedAt: '2026-12-08T00:00:00Z', status: 'ended' });
  assert.equal(currentExercise([old, over, recent])?.id, 'recent');
  assert.equal(currentExercise([over]), null);
  assert.equal(currentExercise([]), null);
});

test('real lists and each exercise keep their own items', () => {
  assert.equal(exerciseOf({ exerciseId: 'ex-1' }), 'ex-1');
  assert.equal(exerciseOf({ exerciseId: null }), null);
  assert.equal(exerciseOf({}), null);
  assert.equal(exerciseOf({ exerciseId: '' }), null);
  assert.equal(belongsIn({}, null), true);
  assert.equal(belongsIn({ exerciseId: 'ex-1' }, null), false);
  assert.equal(belongsIn({ exerciseId: 'ex-1' }, 'ex-1'), true);
  assert.equal(belongsIn({ exerciseId: 'ex-2' }, 'ex-1'), false);
  assert.equal(belongsIn({ exerciseId: null }, 'ex-1'), false);
});

test('the node’s own reckoning wins: fired minutes, the reference of a target, a cancelled inject', () => {
  const base = exercise();
  const ex = exercise({
    injects: [
      { ...base.injects[0]!, firedMinutes: 12.5 },
      { ...base.injects[1]!, status: 'cancelled', message: 'The provider never answered.' },
    ],
    actions: [
      { ...base.actions[0]!, title: 'Acknowledge within 30 minutes' },
      { ...base.actions[1]!, referenceMinutes: 200 },
    ],
  });
  const [ack, share] = scoredActions(ex);
  assert.equal(ack!.dueMs, (12.5 + 30) * MIN);
  assert.equal(ack!.title, 'Acknowledge within 30 minutes');
  assert.equal(share!.dueMs, (200 + 60) * MIN);
  const lines = injectLines(ex);
  assert.equal(lines[0]!.firedAtMs, 12.5 * MIN);
  assert.equal(lines[1]!.cancelled, true);
  assert.equal(lines[1]!.firedAtMs, null);
  assert.equal(lines[1]!.message, 'The provider never answered.');
});

test('a request the script has this node send fills the composer exactly as the node would take it', () => {
  for (const type of REQUEST_TYPES) {
    const schema = JSON.parse(JSON.stringify(REQUEST_SCHEMAS[type])) as JsonSchema;
    const body = buildRequest(type);
    const known = Object.fromEntries(Object.entries(body).filter(([k]) => k in (schema.properties ?? {})));
    const raw = fromPayload(schema, body);
    // A date-time comes back as the same instant, written the node's way.
    const instants = (v: unknown) =>
      JSON.parse(JSON.stringify(v), (_k, x) =>
        typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(x) ? new Date(x).toISOString() : x,
      );
    assert.deepEqual(toPayload(schema, raw, true), instants(known), type);
  }
});
