// The request page's next steps, ranked: one primary, the partner's own moves set aside when its
// node reports them, and "waiting for" the partner when nothing else moves the request on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedNextSteps } from '../../src/domain/requests/index.ts';
import type { NextStep } from '../../src/web/api/types.ts';
import { IRREVERSIBLE, rankSteps } from '../../src/web/pages/next-steps.ts';

const steps = (...actions: string[]): NextStep[] =>
  actions.map((action) => ({ action, to: 'x', roles: ['DUTY_OFFICER'] }));
const names = (list: NextStep[]) => list.map((s) => s.action);

test('after sending to a partner with its own node: nothing primary, waiting for it', () => {
  const offered = steps(
    'record_acknowledgement',
    'record_info_request',
    'record_consultation',
    'record_execution',
    'record_refusal',
    'withdraw',
  );
  const ranked = rankSteps(offered, { partnerState: 'FR', status: 'sent' }, true);
  assert.equal(ranked.primary, null);
  assert.equal(ranked.waitingFor, 'FR');
  assert.deepEqual(names(ranked.secondary), ['withdraw']);
  assert.deepEqual(names(ranked.byHand), [
    'record_acknowledgement',
    'record_info_request',
    'record_consultation',
    'record_execution',
    'record_refusal',
  ]);
});

test('the same request to a partner without a node: recording its acknowledgement is the primary', () => {
  const offered = steps('record_refusal', 'record_acknowledgement', 'record_execution', 'withdraw');
  const ranked = rankSteps(offered, { partnerState: 'BR', status: 'sent' }, false);
  assert.equal(ranked.primary?.action, 'record_acknowledgement');
  assert.equal(ranked.waitingFor, null);
  assert.deepEqual(names(ranked.byHand), []);
  assert.deepEqual(names(ranked.secondary), ['record_refusal', 'record_execution', 'withdraw']);
});

test('one primary step along the life of a request; a step that ends it never is', () => {
  assert.equal(
    rankSteps(steps('withdraw', 'submit'), { partnerState: 'FR', status: 'draft' }, true).primary?.action,
    'submit',
  );
  assert.equal(
    rankSteps(
      steps('return_to_draft', 'approve', 'withdraw'),
      { partnerState: 'FR', status: 'pending_approval' },
      true,
    ).primary?.action,
    'approve',
  );
  const incoming = rankSteps(
    steps('refuse', 'postpone', 'request_info', 'complete', 'report_partial'),
    { partnerState: 'VN', status: 'in_execution' },
    true,
  );
  assert.equal(incoming.primary?.action, 'complete');
  assert.equal(incoming.waitingFor, null);
  assert.equal(
    rankSteps(steps('refuse', 'withdraw'), { partnerState: 'FR', status: 'x' }, false).primary,
    null,
  );
});

test('the steps the life cycle offers after sending are all ranked, none lost', () => {
  const offered = allowedNextSteps({
    state: 'sent',
    direction: 'OUTGOING',
    type: 'PRESERVATION',
    urgency: 'URGENT',
    draftedBy: 'someone',
    emergencyApprovalPending: false,
  }).map((s) => ({ ...s, roles: [...s.roles] })) as NextStep[];
  assert.ok(offered.length > 0);
  const ranked = rankSteps(offered, { partnerState: 'FR', status: 'sent' }, true);
  const all = [ranked.primary, ...ranked.secondary, ...ranked.byHand].filter(Boolean) as NextStep[];
  assert.deepEqual(names(all).sort(), names(offered).sort());
  assert.equal(ranked.waitingFor, 'FR');
  for (const a of ['send', 'approve', 'refuse', 'withdraw']) assert.ok(IRREVERSIBLE.has(a));
});
