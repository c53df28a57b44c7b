// The onward-transfer rule (art. 36) and the shape of the consent messages, without a node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONSENT_GRANT_TYPE,
  consentAnswerProblems,
  consentRequestProblems,
  grantProblem,
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

test('a grant travels only with GRANTED, as a compact JWS', () => {
  const answer = {
    consentId: '01900000-0000-7000-8000-000000000001',
    packageId: '01900000-0000-7000-8000-000000000002',
    decision: 'GRANTED',
    reason: null,
  };
  assert.deepEqual(consentAnswerProblems({ ...answer, grant: 'aGVhZA.Ym9keQ.c2ln' }), []);
  for (const bad of [
    { ...answer, grant: 'not a jws' },
    { ...answer, grant: 42 },
    { ...answer, decision: 'REFUSED', grant: 'aGVhZA.Ym9keQ.c2ln' },
  ])
    assert.deepEqual(
      consentAnswerProblems(bad).map((p) => p.field),
      ['/grant'],
    );
});

test('a signed grant covers only the package, root and States it names', () => {
  const expected = {
    consentId: '01900000-0000-7000-8000-000000000001',
    packageId: '01900000-0000-7000-8000-000000000002',
    merkleRoot: 'a'.repeat(64),
    originState: 'FR',
    askingState: 'VN',
    toState: 'DE',
  };
  const grant = { typ: CONSENT_GRANT_TYPE, ...expected, grantedAt: '2027-01-05T10:00:00Z' };
  assert.equal(grantProblem(grant, expected), null);
  assert.match(grantProblem({ ...grant, toState: 'ES' }, expected)!, /toState/);
  assert.match(grantProblem({ ...grant, askingState: 'DE' }, expected)!, /askingState/);
  assert.match(grantProblem({ ...grant, merkleRoot: 'b'.repeat(64) }, expected)!, /merkleRoot/);
  assert.match(grantProblem({ ...grant, typ: 'hanoi247-evidence-offer' }, expected)!, /not a grant/);
});
