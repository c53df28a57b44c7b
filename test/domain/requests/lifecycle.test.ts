import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../../../src/domain/codes.ts';
import {
  allowedNextSteps,
  decideTransition,
  type LifecycleSnapshot,
  REQUEST_STATES,
  TRANSITIONS,
  type TransitionInput,
} from '../../../src/domain/requests/index.ts';

const NOW = new Date('2026-12-10T08:00:00Z');
const OPTIONS = { emergencyApprovalWithinMs: 4 * 3600_000 };
const drafter = { id: 'u-drafter', roles: ['DUTY_OFFICER'] as Role[] };
const approver = { id: 'u-approver', roles: ['APPROVER'] as Role[] };
const lawyer = { id: 'u-lawyer', roles: ['CENTRAL_AUTHORITY'] as Role[] };

const snap = (over: Partial<LifecycleSnapshot>): LifecycleSnapshot => ({
  direction: 'OUTGOING',
  type: 'MLA_GENERAL',
  urgency: 'ROUTINE',
  state: 'draft',
  draftedBy: drafter.id,
  emergencyApprovalPending: false,
  ...over,
});

const FULL: TransitionInput = {
  action: '',
  reason: 'written reasons',
  ground: 'ESSENTIAL_INTERESTS',
  until: '2027-02-01T00:00:00Z',
  message: 'details',
  assignee: 'u-lawyer',
};

// Every rule of the table, taken once with the inputs it needs, by a holder of its first role.
for (const rule of TRANSITIONS) {
  for (const from of rule.from) {
    test(`${rule.direction} ${from} --${rule.action}--> ${rule.to}`, () => {
      const s = snap({
        direction: rule.direction,
        state: from,
        urgency: rule.action === 'send' && from !== 'approved' ? 'EMERGENCY' : 'ROUTINE',
        type:
          rule.action === 'close' && from === 'acknowledged'
            ? 'SPONTANEOUS_INFORMATION'
            : rule.action.includes('extens') || rule.action === 'extend_preservation'
              ? 'PRESERVATION'
              : 'MLA_GENERAL',
        emergencyApprovalPending: rule.action === 'approve' && from !== 'pending_approval',
      });
      const actor = { id: 'someone-else', roles: [rule.roles[0]!] };
      const decision = decideTransition(s, { ...FULL, action: rule.action }, actor, NOW, OPTIONS);
      assert.equal(decision.ok, true, JSON.stringify(decision));
      if (!decision.ok) return;
      assert.equal(decision.outcome.to, rule.to === 'same' ? from : rule.to);
      // Without the inputs it requires, the same step is refused naming each one.
      if (rule.requires?.length) {
        const bare = decideTransition(s, { action: rule.action }, actor, NOW, OPTIONS);
        assert.equal(bare.ok, false);
        if (!bare.ok && bare.kind === 'invalid')
          assert.deepEqual(bare.errors.map((e) => e.field).sort(), rule.requires.map((r) => `/${r}`).sort());
        else assert.fail(`expected invalid, got ${JSON.stringify(bare)}`);
      }
      // A role outside the rule is refused.
      const outsider = { id: 'x', roles: ['AUDITOR'] as Role[] };
      const denied = decideTransition(s, { ...FULL, action: rule.action }, outsider, NOW, OPTIONS);
      assert.equal(denied.ok === false && denied.kind, 'forbidden');
    });
  }
}

test('every state is reachable or initial, and the only dead ends are settled', () => {
  const reachable = new Set<string>(['draft', 'received']);
  for (const r of TRANSITIONS) if (r.to !== 'same') reachable.add(r.to);
  assert.deepEqual(
    [...REQUEST_STATES].filter((s) => !reachable.has(s)),
    [],
  );
  for (const direction of ['OUTGOING', 'INCOMING'] as const) {
    const exits = new Set(
      TRANSITIONS.filter((r) => r.direction === direction && r.to !== 'same').flatMap((r) => r.from),
    );
    const dead = REQUEST_STATES.filter((s) => !exits.has(s) && s !== 'closed');
    for (const s of dead)
      assert.ok(
        direction === 'OUTGOING'
          ? s === 'received'
          : ['draft', 'pending_approval', 'approved', 'sent'].includes(s),
        `${direction} ${s}`,
      );
  }
});

test('four eyes: the drafter cannot approve, even holding the approver role', () => {
  const both = { id: drafter.id, roles: ['DUTY_OFFICER', 'APPROVER'] as Role[] };
  const d = decideTransition(snap({ state: 'pending_approval' }), { action: 'approve' }, both, NOW, OPTIONS);
  assert.equal(d.ok, false);
  if (!d.ok && d.kind === 'forbidden') assert.equal(d.code, 'ERR_FOUR_EYES');
  else assert.fail('expected four-eyes refusal');
  assert.equal(
    decideTransition(snap({ state: 'pending_approval' }), { action: 'approve' }, approver, NOW, OPTIONS).ok,
    true,
  );
});

test('an illegal step answers the allowed next steps', () => {
  const d = decideTransition(snap({ state: 'draft' }), { action: 'send' }, lawyer, NOW, OPTIONS);
  assert.equal(d.ok, false);
  if (d.ok || d.kind !== 'illegal') return assert.fail('expected illegal');
  assert.deepEqual(d.allowed.map((a) => a.action).sort(), ['assign', 'submit', 'withdraw']);
  assert.match(d.message, /only an emergency request may be sent before approval/);
  const unknown = decideTransition(snap({}), { action: 'teleport' }, lawyer, NOW, OPTIONS);
  assert.equal(!unknown.ok && unknown.kind, 'illegal');
});

test('an emergency may be sent before approval, flagged until approved within the configured time', () => {
  const s = snap({ urgency: 'EMERGENCY', state: 'draft' });
  const sent = decideTransition(s, { action: 'send' }, drafter, NOW, OPTIONS);
  assert.ok(sent.ok);
  if (!sent.ok) return;
  assert.equal(sent.outcome.to, 'sent');
  assert.equal(sent.outcome.changes.emergencyApprovalPending, true);
  assert.equal(sent.outcome.changes.emergencyApprovalDueAt?.toISOString(), '2026-12-10T12:00:00.000Z');
  const after = snap({ urgency: 'EMERGENCY', state: 'sent', emergencyApprovalPending: true });
  const approved = decideTransition(after, { action: 'approve' }, approver, NOW, OPTIONS);
  assert.ok(approved.ok);
  if (approved.ok) {
    assert.equal(approved.outcome.to, 'sent');
    assert.equal(approved.outcome.changes.emergencyApprovalPending, false);
  }
  const again = decideTransition(
    { ...after, emergencyApprovalPending: false },
    { action: 'approve' },
    approver,
    NOW,
    OPTIONS,
  );
  assert.equal(!again.ok && again.kind, 'illegal');
});

test('refusal: consultation first, a ground from the list, never bank secrecy or fiscal matters', () => {
  const incoming = (state: LifecycleSnapshot['state']) => snap({ direction: 'INCOMING', state });
  const early = decideTransition(
    incoming('acknowledged'),
    { ...FULL, action: 'refuse' },
    lawyer,
    NOW,
    OPTIONS,
  );
  assert.equal(!early.ok && early.kind, 'illegal');
  assert.ok(allowedNextSteps(incoming('acknowledged')).some((s) => s.action === 'open_consultation'));
  for (const [ground, pattern] of [
    ['BANK_SECRECY', /bank secrecy/],
    ['FISCAL_MATTERS', /fiscal/],
    ['BECAUSE', /not a refusal ground/],
    // The list named is the legal basis's, not "the Convention's" (issue 21, correction 3).
    ['', /a refusal needs a ground from the list of /],
  ] as const) {
    const d = decideTransition(
      incoming('consultation'),
      { action: 'refuse', ground, reason: 'x' },
      lawyer,
      NOW,
      OPTIONS,
    );
    if (d.ok || d.kind !== 'invalid') return assert.fail(ground);
    assert.match(d.errors[0]!.message, pattern);
    assert.equal(d.errors[0]!.field, '/ground');
  }
  const noReason = decideTransition(
    incoming('consultation'),
    { action: 'refuse', ground: 'PERSECUTION_RISK' },
    lawyer,
    NOW,
    OPTIONS,
  );
  assert.equal(!noReason.ok && noReason.kind, 'invalid');
});

test('postponement needs a future date', () => {
  const s = snap({ direction: 'INCOMING', state: 'consultation' });
  const past = decideTransition(
    s,
    { action: 'postpone', reason: 'domestic case', until: '2026-01-01T00:00:00Z' },
    lawyer,
    NOW,
    OPTIONS,
  );
  assert.equal(!past.ok && past.kind, 'invalid');
  const ok = decideTransition(
    s,
    { action: 'postpone', reason: 'domestic case', until: '2027-01-01T00:00:00Z' },
    lawyer,
    NOW,
    OPTIONS,
  );
  assert.ok(ok.ok && ok.outcome.changes.postponedUntil?.toISOString() === '2027-01-01T00:00:00.000Z');
});

test('preservation of data on a Convention offence cannot be refused for lack of dual criminality', () => {
  const s = snap({
    direction: 'INCOMING',
    type: 'PRESERVATION',
    state: 'consultation',
    scopeResult: 'CONVENTION_OFFENCE',
  });
  const refused = decideTransition(
    s,
    { action: 'refuse', ground: 'NO_DUAL_CRIMINALITY', reason: 'x' },
    lawyer,
    NOW,
    OPTIONS,
  );
  assert.equal(!refused.ok && refused.kind, 'invalid');
  const serious = { ...s, scopeResult: 'SERIOUS_CRIME_EEVIDENCE' };
  assert.ok(
    decideTransition(
      serious,
      { action: 'refuse', ground: 'NO_DUAL_CRIMINALITY', reason: 'x' },
      lawyer,
      NOW,
      OPTIONS,
    ).ok,
  );
  const mla = { ...s, type: 'MLA_GENERAL' as const };
  assert.ok(
    decideTransition(
      mla,
      { action: 'refuse', ground: 'NO_DUAL_CRIMINALITY', reason: 'x' },
      lawyer,
      NOW,
      OPTIONS,
    ).ok,
  );
});
