// The exercise clock (accelerated, paused, jumped) and the scoring of expected actions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  advanceClock,
  elapsedMs,
  exerciseNow,
  type FiredInject,
  pauseClock,
  resumeClock,
  type ScenarioAction,
  scoreAction,
  startClock,
} from '../../../src/domain/exercises/index.ts';

const T0 = new Date('2026-12-07T09:00:00Z');
const at = (realMinutes: number) => new Date(T0.getTime() + realMinutes * 60_000);

test('an accelerated clock runs speed times faster, stands still while paused and jumps forward', () => {
  let clock = startClock(T0, 72);
  assert.equal(elapsedMs(clock, at(1)), 72 * 60_000);
  assert.equal(exerciseNow(clock, at(60)).toISOString(), '2026-12-10T09:00:00.000Z');
  clock = pauseClock(clock, at(10));
  assert.equal(elapsedMs(clock, at(30)), 720 * 60_000);
  clock = resumeClock(clock, at(30));
  assert.equal(elapsedMs(clock, at(31)), 792 * 60_000);
  clock = advanceClock(clock, at(31), 60 * 60_000);
  assert.equal(elapsedMs(clock, at(31)), 852 * 60_000);
  assert.equal(elapsedMs(startClock(T0, 1), at(5)), 5 * 60_000);
});

const injects = new Map<string, FiredInject>([['req', { id: 'req', atMinutes: 10, requestId: 'r1' }]]);
const ack: ScenarioAction = { id: 'ack', kind: 'acknowledge', by: 'VN', inject: 'req', within: 'PT30M' };
const step = (s: string, atMinutes: number, extra: object = {}) => ({
  step: s,
  state: 'VN',
  atMinutes,
  requestId: 'r1',
  ...extra,
});

test('an action in time is met, after its target late, never done missed', () => {
  assert.deepEqual(
    [
      scoreAction(ack, injects, [step('acknowledge', 25)], 60, false),
      scoreAction(ack, injects, [step('acknowledge', 55)], 60, false),
      scoreAction(ack, injects, [], 20, false),
      scoreAction(ack, injects, [], 60, false),
      scoreAction(ack, injects, [], 20, true),
    ].map((s) => [s.outcome, s.takenMinutes]),
    [
      ['met', 15],
      ['late', 45],
      ['pending', null],
      ['missed', null],
      ['missed', null],
    ],
  );
});

test('a wrong ground, TLP, legal basis or a refusal instead of an answer is wrong', () => {
  const refuse: ScenarioAction = {
    id: 'r',
    kind: 'refuse',
    by: 'VN',
    inject: 'req',
    within: 60,
    grounds: ['ESSENTIAL_INTERESTS'],
  };
  assert.equal(
    scoreAction(refuse, injects, [step('refuse', 20, { ground: 'DATA_PROTECTION' })], 30, false).outcome,
    'wrong',
  );
  assert.equal(
    scoreAction(refuse, injects, [step('refuse', 20, { ground: 'ESSENTIAL_INTERESTS' })], 30, false).outcome,
    'met',
  );
  assert.equal(scoreAction(ack, injects, [step('refuse', 12)], 30, false).detail, 'refused instead');
  const share: ScenarioAction = {
    id: 's',
    kind: 'share_indicator',
    by: 'VN',
    inject: 'req',
    within: 60,
    tlp: 'AMBER',
  };
  const shared = scoreAction(
    share,
    injects,
    [{ step: 'share', state: 'VN', atMinutes: 30, tlp: 'CLEAR' }],
    40,
    false,
  );
  assert.deepEqual([shared.outcome, shared.detail], ['wrong', 'TLP CLEAR, expected AMBER']);
  const basis: ScenarioAction = {
    id: 'b',
    kind: 'choose_legal_basis',
    by: 'VN',
    within: 60,
    legalBasis: 'UNCC',
  };
  assert.equal(
    scoreAction(basis, injects, [step('send', 5, { requestId: 'x', legalBasis: 'UNCC' })], 10, false).outcome,
    'met',
  );
  assert.equal(
    scoreAction(basis, injects, [step('send', 5, { requestId: 'x', legalBasis: 'BUDAPEST' })], 10, false)
      .outcome,
    'wrong',
  );
});

test("another State's action, or one on another request, does not count", () => {
  assert.equal(
    scoreAction(ack, injects, [{ ...step('acknowledge', 15), state: 'FR' }], 20, false).outcome,
    'pending',
  );
  assert.equal(
    scoreAction(ack, injects, [step('acknowledge', 15, { requestId: 'r2' })], 20, false).outcome,
    'pending',
  );
});
