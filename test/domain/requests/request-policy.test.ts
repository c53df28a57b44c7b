import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DEADLINE_POLICY, parseRequestPolicy } from '../../../src/domain/requests/index.ts';

test('an empty policy is the defaults', () => {
  const r = parseRequestPolicy(undefined);
  assert.ok(r.ok);
  if (r.ok) {
    assert.deepEqual(r.policy.deadlines, DEFAULT_DEADLINE_POLICY);
    assert.equal(r.policy.preservation.periodDays, 60);
  }
});

test('settings override the defaults and keep the rest', () => {
  const r = parseRequestPolicy({
    deadlines: {
      acknowledge: { EMERGENCY: 'PT30M' },
      executeByType: { PRESERVATION: { URGENT: 'PT12H' } },
      emergencyApprovalWithin: 'PT2H',
    },
    preservation: { periodDays: 90, reminderDaysBefore: [30, 7] },
  });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.policy.deadlines.acknowledge.EMERGENCY, 'PT30M');
  assert.equal(r.policy.deadlines.acknowledge.URGENT, 'PT24H');
  assert.equal(r.policy.deadlines.executeByType.PRESERVATION?.URGENT, 'PT12H');
  assert.equal(r.policy.deadlines.emergencyApprovalWithin, 'PT2H');
  assert.equal(r.policy.preservation.periodDays, 90);
  assert.deepEqual(r.policy.preservation.reminderDaysBefore, [30, 7]);
});

const BAD: [string, unknown, RegExp][] = [
  ['not an object', [], /must be a JSON object/],
  ['unknown key', { deadline: {} }, /deadline: not a setting/],
  [
    'bad duration',
    { deadlines: { acknowledge: { URGENT: '1 day' } } },
    /deadlines\.acknowledge\.URGENT: '1 day' is not a duration/,
  ],
  ['unknown urgency', { deadlines: { execute: { SOON: 'P1D' } } }, /deadlines\.execute\.SOON: not a setting/],
  [
    'unknown type',
    { deadlines: { executeByType: { TELEPATHY: {} } } },
    /executeByType\.TELEPATHY: not a setting/,
  ],
  ['period under 60 days', { preservation: { periodDays: 30 } }, /under the 60-day minimum/],
  ['bad reminders', { preservation: { reminderDaysBefore: [7, -1] } }, /reminderDaysBefore/],
];
for (const [name, value, pattern] of BAD) {
  test(`refused: ${name}`, () => {
    const r = parseRequestPolicy(value);
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.ok(
        r.problems.some((p) => pattern.test(p)),
        r.problems.join('; '),
      );
  });
}
