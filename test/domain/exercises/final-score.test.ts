// The final score a node sends when it archives an exercise: only its own State's actions, once each,
// with known outcomes; the receiver counts the totals itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFinalScore, finalScoreOf } from '../../../src/domain/exercises/index.ts';

const scenario = {
  expectedActions: [
    { id: 'vn-ack', by: 'VN' },
    { id: 'th-share', by: 'TH' },
    { id: 'th-ack', by: 'TH' },
  ],
} as Parameters<typeof checkFinalScore>[0];

test("a node's final score keeps its own State's actions and counts them", () => {
  const sent = finalScoreOf('TH', [
    { id: 'vn-ack', by: 'VN', outcome: 'met', takenMinutes: 3, detail: null },
    { id: 'th-share', by: 'TH', outcome: 'late', takenMinutes: 200, detail: null },
    { id: 'th-ack', by: 'TH', outcome: 'missed', takenMinutes: null, detail: null },
  ]);
  assert.deepEqual(
    sent.outcomes.map((o) => o.actionId),
    ['th-share', 'th-ack'],
  );
  const received = checkFinalScore(scenario, 'TH', sent.outcomes);
  assert.ok(received.ok);
  assert.deepEqual(received.score.score, { pending: 0, met: 0, late: 1, missed: 1, wrong: 0, total: 2 });
});

test('a final score naming another State’s action, one twice, or an unknown outcome is refused', () => {
  const met = (actionId: string, outcome = 'met') => ({ actionId, outcome, takenMinutes: 1, detail: null });
  for (const [outcomes, problem] of [
    [[met('vn-ack')], /actionId/],
    [[met('th-share'), met('th-share')], /actionId/],
    [[met('th-share', 'great')], /outcome/],
    [[{ ...met('th-share'), takenMinutes: -1 }], /takenMinutes/],
    ['all met', /list/],
  ] as const) {
    const checked = checkFinalScore(scenario, 'TH', outcomes);
    assert.equal(checked.ok, false);
    if (!checked.ok) assert.match(checked.problem, problem);
  }
});
