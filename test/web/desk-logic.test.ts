// The desk's pure parts: windowing of long lists, the live filters, and the audit proof check the
// browser runs (against proofs made by the node's own Merkle code).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  inclusionProof,
  leafHash,
  verifyInclusion as nodeVerify,
  rootFromLeafHashes,
} from '../../src/crypto/merkle.ts';
import type { RequestSummary } from '../../src/web/api/types.ts';
import { verifyInclusion } from '../../src/web/audit/inclusion.ts';
import { windowRange } from '../../src/web/components/virtual-window.ts';
import { byUrgency, matchesFilters, quickActions } from '../../src/web/pages/list-filters.ts';

test('windowing renders only the rows in view, with the height of the others around them', () => {
  const w = windowRange(10_000, 80, 0, 800, 8);
  assert.deepEqual(w, { start: 0, end: 18, padTop: 0, padBottom: (10_000 - 18) * 80 });
  const mid = windowRange(10_000, 80, 400_000, 800, 8);
  assert.equal(mid.start, 5000 - 8);
  assert.equal(mid.end, 5000 + 10 + 8);
  assert.equal(mid.padTop + (mid.end - mid.start) * 80 + mid.padBottom, 10_000 * 80);
  const bottom = windowRange(10_000, 80, 10_000 * 80, 800, 8);
  assert.equal(bottom.end, 10_000);
  assert.equal(bottom.padBottom, 0);
  assert.deepEqual(windowRange(0, 80, 0, 800), { start: 0, end: 0, padTop: 0, padBottom: 0 });
  // A short list is drawn whole.
  assert.deepEqual(windowRange(5, 80, 0, 800), { start: 0, end: 5, padTop: 0, padBottom: 0 });
});

function summary(over: Partial<RequestSummary>): RequestSummary {
  return {
    id: 'x',
    caseId: 'c',
    caseReference: 'R',
    direction: 'INCOMING',
    type: 'PRESERVATION',
    status: 'received',
    urgency: 'ROUTINE',
    requestingState: 'FR',
    requestedState: 'VN',
    partnerState: 'FR',
    legalBasis: { basis: 'CONVENTION', treatyRef: null, reason: '' },
    assignedTo: null,
    emergencyApprovalPending: false,
    emergencyApprovalDueAt: null,
    nextDue: null,
    overdue: false,
    createdAt: '2027-01-01T00:00:00Z',
    updatedAt: '2027-01-01T00:00:00Z',
    ...over,
  };
}

test('a live change is kept or dropped by the filters; a passed deadline counts as overdue', () => {
  const none = { status: '', type: '', urgency: '', direction: '', overdue: '' };
  const now = Date.parse('2027-01-05T10:00:00Z');
  const r = summary({ nextDue: { kind: 'ACKNOWLEDGE', dueAt: '2027-01-05T09:59:00Z' } });
  assert.equal(matchesFilters(r, none, now), true);
  assert.equal(matchesFilters(r, { ...none, status: 'acknowledged' }, now), false);
  assert.equal(matchesFilters(r, { ...none, direction: 'OUTGOING' }, now), false);
  assert.equal(matchesFilters(r, { ...none, overdue: 'true' }, now), true);
  assert.equal(matchesFilters(r, { ...none, overdue: 'true' }, Date.parse('2027-01-05T09:00:00Z')), false);
  const order = [
    summary({ id: 'routine', urgency: 'ROUTINE' }),
    summary({ id: 'late', overdue: true }),
    summary({ id: 'emergency', urgency: 'EMERGENCY' }),
  ].sort(byUrgency);
  assert.deepEqual(
    order.map((x) => x.id),
    ['late', 'emergency', 'routine'],
  );
});

test('a row offers acknowledge and take in one click only to those who may, when they may', () => {
  const received = summary({ status: 'received', assignedTo: 'node:FR' });
  assert.deepEqual(quickActions(received, ['DUTY_OFFICER'], 'me'), ['acknowledge', 'take']);
  assert.deepEqual(quickActions({ ...received, assignedTo: 'me' }, ['DUTY_OFFICER'], 'me'), ['acknowledge']);
  assert.deepEqual(quickActions({ ...received, status: 'acknowledged' }, ['DUTY_OFFICER'], 'me'), ['take']);
  assert.deepEqual(quickActions(received, ['AUDITOR'], 'me'), []);
  assert.deepEqual(quickActions(received, ['INVESTIGATOR'], 'me'), []);
});

test('the browser accepts the node’s inclusion proofs and rejects altered ones', async () => {
  for (const size of [1, 2, 3, 7, 8, 13]) {
    const leaves = Array.from({ length: size }, (_, i) => leafHash(`entry ${i}`));
    const root = rootFromLeafHashes(leaves).toString('hex');
    for (let i = 0; i < size; i++) {
      const path = inclusionProof(i, leaves).map((h) => h.toString('hex'));
      const leaf = leaves[i]!.toString('hex');
      assert.equal(await verifyInclusion(i, size, leaf, path, root), true, `${i} of ${size}`);
      const other = leaves[(i + 1) % size]!.toString('hex');
      if (size > 1) assert.equal(await verifyInclusion(i, size, other, path, root), false);
      // Whatever the size claimed, the browser agrees with the node's own verifier.
      const bytes = (h: string) => Buffer.from(h, 'hex');
      assert.equal(
        await verifyInclusion(i, size + 1, leaf, path, root),
        nodeVerify(i, size + 1, bytes(leaf), path.map(bytes), bytes(root)),
      );
      if (path.length > 0) {
        const bent = [...path];
        bent[0] = bent[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        assert.equal(await verifyInclusion(i, size, leaf, bent, root), false);
      }
    }
  }
  assert.equal(await verifyInclusion(0, 1, 'not hex', [], '00'), false);
});
