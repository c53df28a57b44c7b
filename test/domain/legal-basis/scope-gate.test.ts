import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OFFENCE_CODES, REQUEST_TYPES, type RequestType } from '../../../src/domain/codes.ts';
import {
  CONVENTION_OFFENCE_ARTICLES,
  E_EVIDENCE_REQUEST_TYPES,
  type ScopeOffence,
  scopeGate,
} from '../../../src/domain/legal-basis/index.ts';

const NON_E_EVIDENCE = REQUEST_TYPES.filter((t) => !E_EVIDENCE_REQUEST_TYPES.includes(t));

describe('scopeGate (art. 35)', () => {
  // Art. 4 offences are not Convention offences (art. 4(2)): issue 21 corrected this list.
  const conventionCodes = OFFENCE_CODES.filter(
    (c) => c !== 'SERIOUS_CRIME' && c !== 'OTHER_ICT_OFFENCE' && c !== 'UN_INSTRUMENT_OFFENCE_VIA_ICT',
  );
  for (const code of conventionCodes) {
    test(`${code} is a Convention offence for any request type`, () => {
      for (const requestType of ['EXTRADITION', 'PRESERVATION'] as const) {
        const decision = scopeGate({ offences: [{ code }], requestType });
        assert.equal(decision.result, 'CONVENTION_OFFENCE');
        assert.equal(decision.article, CONVENTION_OFFENCE_ARTICLES[code]);
      }
    });
  }

  test('articles: illegal access art. 7, laundering art. 17', () => {
    assert.equal(
      scopeGate({ offences: [{ code: 'ILLEGAL_ACCESS' }], requestType: 'MLA_GENERAL' }).article,
      'art. 7',
    );
    assert.equal(
      scopeGate({ offences: [{ code: 'LAUNDERING' }], requestType: 'MLA_GENERAL' }).article,
      'art. 17',
    );
  });

  test('one Convention offence among others is enough', () => {
    const offences: ScopeOffence[] = [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 12 }, { code: 'CSAM' }];
    const decision = scopeGate({ offences, requestType: 'MLA_GENERAL' });
    assert.equal(decision.result, 'CONVENTION_OFFENCE');
    assert.match(decision.reason, /CSAM \(art\. 14\)/);
  });

  const thresholdCases: {
    code: 'SERIOUS_CRIME' | 'OTHER_ICT_OFFENCE';
    months: number;
    type: RequestType;
    expected: string;
  }[] = [
    { code: 'SERIOUS_CRIME', months: 48, type: 'PRESERVATION', expected: 'SERIOUS_CRIME_EEVIDENCE' },
    { code: 'SERIOUS_CRIME', months: 47, type: 'PRESERVATION', expected: 'OUT_OF_SCOPE' },
    { code: 'OTHER_ICT_OFFENCE', months: 48, type: 'MLA_STORED_DATA', expected: 'SERIOUS_CRIME_EEVIDENCE' },
    { code: 'OTHER_ICT_OFFENCE', months: 47, type: 'MLA_STORED_DATA', expected: 'OUT_OF_SCOPE' },
    { code: 'SERIOUS_CRIME', months: 120, type: 'EMERGENCY_DISCLOSURE', expected: 'SERIOUS_CRIME_EEVIDENCE' },
  ];
  for (const c of thresholdCases) {
    test(`${c.code} with ${c.months} months, ${c.type} → ${c.expected}`, () => {
      const offences = [{ code: c.code, maxPenaltyMonths: c.months }];
      assert.equal(scopeGate({ offences, requestType: c.type }).result, c.expected);
    });
  }

  for (const requestType of E_EVIDENCE_REQUEST_TYPES) {
    test(`serious crime is in scope for the e-evidence type ${requestType}`, () => {
      const decision = scopeGate({
        offences: [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 48 }],
        requestType,
      });
      assert.equal(decision.result, 'SERIOUS_CRIME_EEVIDENCE');
      assert.equal(decision.article, 'art. 35');
    });
  }

  for (const requestType of NON_E_EVIDENCE) {
    test(`serious crime is out of scope for ${requestType}, which is not an e-evidence request`, () => {
      const decision = scopeGate({
        offences: [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 120 }],
        requestType,
      });
      assert.equal(decision.result, 'OUT_OF_SCOPE');
      assert.equal(decision.article, 'art. 35');
      assert.match(decision.reason, /not a request for electronic evidence/);
    });
  }

  test('below the threshold the reason gives the penalty and art. 2', () => {
    const decision = scopeGate({
      offences: [{ code: 'SERIOUS_CRIME', maxPenaltyMonths: 36 }],
      requestType: 'PRESERVATION',
    });
    assert.equal(decision.result, 'OUT_OF_SCOPE');
    assert.equal(decision.article, 'art. 2');
    assert.match(decision.reason, /maximum penalty 36 months is below the 4-year threshold of art\. 2/);
  });

  test('an unknown maximum penalty cannot establish serious crime', () => {
    const decision = scopeGate({ offences: [{ code: 'OTHER_ICT_OFFENCE' }], requestType: 'PRESERVATION' });
    assert.equal(decision.result, 'OUT_OF_SCOPE');
    assert.match(decision.reason, /maximum penalty not given/);
  });

  test('no offence at all is out of scope', () => {
    assert.equal(scopeGate({ offences: [], requestType: 'PRESERVATION' }).result, 'OUT_OF_SCOPE');
  });

  test('the threshold is configurable', () => {
    const offences = (months: number) => [{ code: 'SERIOUS_CRIME' as const, maxPenaltyMonths: months }];
    const options = { seriousCrimeMonths: 30 };
    assert.equal(
      scopeGate({ offences: offences(30), requestType: 'PRESERVATION' }, options).result,
      'SERIOUS_CRIME_EEVIDENCE',
    );
    const below = scopeGate({ offences: offences(29), requestType: 'PRESERVATION' }, options);
    assert.equal(below.result, 'OUT_OF_SCOPE');
    assert.match(below.reason, /below the 30-month threshold/);
  });
});
