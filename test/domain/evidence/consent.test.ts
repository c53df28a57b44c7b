// The onward-transfer rule (art. 36) and the shape of the consent messages, without a node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consentAnswerProblems,
  consentRequestProblems,
  needsOnwardConsent,
} from '../../../src/domain/evidence/index.ts';

const fromFrance = { originState: 'FR', recipientState: 'VN' };

test('only a received package going to a third State needs consent', () => {
  assert.equal(needsOnwardConsent(fromFrance, 'VN', 'ES'), true);
  assert.equal(needsOnwardConsent(fromFrance, 'VN', 'FR'), false, 'back to the State that sent it');
  assert.equal(needsOnwardConsent(fromFrance, 'VN', 'VN'), false, 'its own courts');
  assert.equal(needsOnwardConsent(fromFrance, 'VN', undefined), false, 'no State named: domestic use');
  assert.equal(needsOnwardConsent(fromFrance, 'FR', 'ES'), false, 'the sealer needs no one’s consent');
});

test('consent messages: every field checked and named', () => {
  const good = {
    consentId: '01900000-0000-7000-8000-000000000001',
    packageId: '01900000-0000-7000-8000-000000000002',
    merkleRoot: 'a'.repeat(64),
    toState: 'ES',
    purpose: 'joint investigation',
  };
  assert.deepEqual(consentRequestProblems(good), []);
  assert.deepEqual(
    consentRequestProblems({ ...good, toState: 'es', merkleRoot: 'xyz', purpose: '' }).map((p) => p.field),
    ['/merkleRoot', '/toState', '/purpose'],
  );
  assert.deepEqual(consentRequestProblems([]), [{ field: '/', message: 'must be an object' }]);
  const answer = { consentId: good.consentId, packageId: good.packageId, decision: 'GRANTED', reason: null };
  assert.deepEqual(consentAnswerProblems(answer), []);
  assert.deepEqual(
    consentAnswerProblems({ ...answer, decision: 'MAYBE', consentId: 'nope' }).map((p) => p.field),
    ['/consentId', '/decision'],
  );
});
