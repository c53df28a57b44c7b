import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  currentDeadline,
  type DeadlineInput,
  durationMs,
  isEmergencyApprovalOverdue,
  isOverdue,
  resolveDeadlinePolicy,
} from '../../../src/domain/requests/index.ts';

const T0 = new Date('2026-12-10T08:00:00Z');
const base: DeadlineInput = {
  direction: 'INCOMING',
  type: 'MLA_GENERAL',
  urgency: 'ROUTINE',
  state: 'received',
  startedAt: T0,
  requestedDeadline: null,
  postponedUntil: null,
};
const at = (iso: string) => new Date(iso).toISOString();

const CASES: [string, Partial<DeadlineInput>, string | null, string | null][] = [
  ['emergency acknowledged within 1 hour', { urgency: 'EMERGENCY' }, 'ACKNOWLEDGE', '2026-12-10T09:00:00Z'],
  ['urgent acknowledged within 24 hours', { urgency: 'URGENT' }, 'ACKNOWLEDGE', '2026-12-11T08:00:00Z'],
  ['routine acknowledged within 5 days', {}, 'ACKNOWLEDGE', '2026-12-15T08:00:00Z'],
  [
    'outgoing sent waits for the acknowledgement',
    { direction: 'OUTGOING', state: 'sent', urgency: 'URGENT' },
    'ACKNOWLEDGE',
    '2026-12-11T08:00:00Z',
  ],
  ['routine MLA executed within 90 days', { state: 'acknowledged' }, 'EXECUTE', '2027-03-10T08:00:00Z'],
  [
    'urgent preservation within 24 hours',
    { state: 'in_execution', type: 'PRESERVATION', urgency: 'URGENT' },
    'EXECUTE',
    '2026-12-11T08:00:00Z',
  ],
  [
    'emergency disclosure within 8 hours',
    { state: 'acknowledged', type: 'EMERGENCY_DISCLOSURE', urgency: 'EMERGENCY' },
    'EXECUTE',
    '2026-12-10T16:00:00Z',
  ],
  [
    'an earlier deadline asked for wins',
    { state: 'acknowledged', requestedDeadline: new Date('2027-01-01T00:00:00Z') },
    'EXECUTE',
    '2027-01-01T00:00:00Z',
  ],
  [
    'a later deadline asked for does not stretch the policy',
    { state: 'acknowledged', type: 'PRESERVATION', requestedDeadline: new Date('2027-06-01T00:00:00Z') },
    'EXECUTE',
    '2026-12-13T08:00:00Z',
  ],
  [
    'postponed until its date',
    { state: 'postponed', postponedUntil: new Date('2027-02-01T00:00:00Z') },
    'RESUME',
    '2027-02-01T00:00:00Z',
  ],
  ['a draft has no deadline', { direction: 'OUTGOING', state: 'draft', startedAt: null }, null, null],
  ['executed: none', { state: 'executed' }, null, null],
  ['refused: none', { state: 'refused' }, null, null],
  ['closed: none', { state: 'closed' }, null, null],
];

for (const [name, over, kind, due] of CASES) {
  test(name, () => {
    const d = currentDeadline({ ...base, ...over });
    assert.equal(d?.kind ?? null, kind);
    assert.equal(d ? d.dueAt.toISOString() : null, due ? at(due) : null);
  });
}

test('overdue only after the due instant', () => {
  const d = currentDeadline({ ...base, urgency: 'EMERGENCY' });
  assert.equal(isOverdue(d, new Date('2026-12-10T09:00:00Z')), false);
  assert.equal(isOverdue(d, new Date('2026-12-10T09:00:00.001Z')), true);
  assert.equal(isOverdue(null, new Date('2099-01-01')), false);
});

test('the policy is configurable and checked', () => {
  const policy = resolveDeadlinePolicy({
    acknowledge: { EMERGENCY: 'PT30M', URGENT: 'PT12H', ROUTINE: 'P2D' },
  });
  assert.equal(
    currentDeadline({ ...base, urgency: 'EMERGENCY' }, policy)?.dueAt.toISOString(),
    at('2026-12-10T08:30:00Z'),
  );
  assert.throws(() => resolveDeadlinePolicy({ emergencyApprovalWithin: 'soon' }), /not a duration/);
});

test('durations', () => {
  assert.equal(durationMs('P60D'), 60 * 86_400_000);
  assert.equal(durationMs('PT8H'), 8 * 3_600_000);
  assert.equal(durationMs('P1DT12H30M'), 36.5 * 3_600_000);
  for (const bad of ['P', 'PT', '60D', 'P1W', '']) assert.throws(() => durationMs(bad), RangeError, bad);
});

test('emergency approval overdue', () => {
  const due = new Date('2026-12-10T12:00:00Z');
  assert.equal(
    isEmergencyApprovalOverdue(
      { emergencyApprovalPending: true, emergencyApprovalDueAt: due },
      new Date('2026-12-10T12:00:01Z'),
    ),
    true,
  );
  assert.equal(
    isEmergencyApprovalOverdue(
      { emergencyApprovalPending: true, emergencyApprovalDueAt: due },
      new Date('2026-12-10T11:00:00Z'),
    ),
    false,
  );
  assert.equal(
    isEmergencyApprovalOverdue(
      { emergencyApprovalPending: false, emergencyApprovalDueAt: null },
      new Date('2099-01-01'),
    ),
    false,
  );
});
