import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LegalBasisCode, RequestType } from '../../../src/domain/codes.ts';
import { buildDemoDirectory, type DirectoryDocument } from '../../../src/domain/directory/index.ts';
import {
  DEFAULT_BASIS_ORDER,
  DEFAULT_COVERAGE,
  InvalidDateError,
  type LegalBasisCandidate,
  pickPrimaryBasis,
  RECIPROCITY_REASON,
  type ResolveLegalBasisInput,
  resolveLegalBasis,
  SamePartyError,
  UnknownPartyError,
} from '../../../src/domain/legal-basis/index.ts';

const directory = buildDemoDirectory();

function resolve(
  requesting: string,
  requested: string,
  date: string,
  requestType: RequestType,
  extra: Partial<ResolveLegalBasisInput> = {},
): LegalBasisCandidate[] {
  return resolveLegalBasis({ directory, requesting, requested, date, requestType, ...extra });
}

function candidate(list: LegalBasisCandidate[], basis: LegalBasisCode): LegalBasisCandidate {
  const found = list.find((c) => c.basis === basis);
  assert.ok(found, `${basis} is proposed`);
  return found;
}

describe('resolveLegalBasis: the UN Convention', () => {
  const cases = [
    { name: 'VN–FR the day before entry into force', args: ['VN', 'FR', '2026-11-30'], applies: false },
    { name: 'VN–FR on the day of entry into force', args: ['VN', 'FR', '2026-12-01'], applies: true },
    { name: 'later joiner MY the day before its 30th day', args: ['VN', 'MY', '2026-12-19'], applies: false },
    { name: 'later joiner MY on its 30th day', args: ['VN', 'MY', '2026-12-20'], applies: true },
    {
      name: 'later joiner LA whose 30th day falls before the general date',
      args: ['LA', 'FR', '2026-12-01'],
      applies: true,
    },
    { name: 'signatory that has not ratified (US)', args: ['FR', 'US', '2027-01-01'], applies: false },
    { name: 'non-signatory (IN)', args: ['IN', 'FR', '2027-01-01'], applies: false },
  ] as const;
  for (const c of cases) {
    test(`${c.name}: UNCC applies = ${c.applies}`, () => {
      const [a, b, date] = c.args;
      const uncc = candidate(resolve(a, b, date, 'PRESERVATION'), 'UNCC');
      assert.equal(uncc.applies, c.applies, uncc.reason);
      assert.equal(uncc.article, 'art. 42');
    });
  }

  test('the reason names the side not yet in force and its date', () => {
    const uncc = candidate(resolve('VN', 'MY', '2026-12-19', 'PRESERVATION'), 'UNCC');
    assert.equal(uncc.reason, 'UN Convention: not in force for MY on 2026-12-19 (in force from 2026-12-20)');
    const before = candidate(resolve('VN', 'FR', '2026-11-30', 'PRESERVATION'), 'UNCC');
    assert.match(before.reason, /not in force for FR on 2026-11-30 \(in force from 2026-12-01\)/);
  });

  test('signatory and non-signatory reasons', () => {
    assert.match(
      candidate(resolve('FR', 'US', '2027-01-01', 'PRESERVATION'), 'UNCC').reason,
      /US has signed \(2025-10-25\) but not ratified/,
    );
    assert.match(
      candidate(resolve('IN', 'FR', '2027-01-01', 'PRESERVATION'), 'UNCC').reason,
      /IN has neither signed nor acceded/,
    );
  });

  test('VN–FR preservation on the day: UNCC is the primary basis', () => {
    const primary = pickPrimaryBasis(resolve('VN', 'FR', '2026-12-01', 'PRESERVATION'));
    assert.equal(primary?.basis, 'UNCC');
    assert.equal(primary?.reason, 'UN Convention: in force for VN and FR on 2026-12-01');
  });

  test('denunciation ends the Convention one year after notice', () => {
    const denounced: DirectoryDocument = structuredClone(directory);
    denounced.parties.find((p) => p.code === 'FR')!.convention.denouncedOn = '2027-02-01';
    const input = {
      directory: denounced,
      requesting: 'VN',
      requested: 'FR',
      requestType: 'PRESERVATION',
    } as const;
    assert.equal(candidate(resolveLegalBasis({ ...input, date: '2028-01-31' }), 'UNCC').applies, true);
    const after = candidate(resolveLegalBasis({ ...input, date: '2028-02-01' }), 'UNCC');
    assert.equal(after.applies, false);
    assert.match(
      after.reason,
      /no longer in force for FR on 2028-02-01 \(denounced on 2027-02-01, effective 2028-02-01\)/,
    );
  });

  test('offences outside the art. 35 scope keep UNCC from applying', () => {
    const offences = [{ code: 'SERIOUS_CRIME' as const, maxPenaltyMonths: 36 }];
    const uncc = candidate(resolve('VN', 'FR', '2026-12-01', 'MLA_STORED_DATA', { offences }), 'UNCC');
    assert.equal(uncc.applies, false);
    assert.match(uncc.reason, /out of scope: .*36 months is below the 4-year threshold/);
    const serious = [{ code: 'SERIOUS_CRIME' as const, maxPenaltyMonths: 60 }];
    assert.equal(
      candidate(resolve('VN', 'FR', '2026-12-01', 'MLA_STORED_DATA', { offences: serious }), 'UNCC').applies,
      true,
    );
    assert.equal(
      candidate(resolve('VN', 'FR', '2026-12-01', 'EXTRADITION', { offences: serious }), 'UNCC').applies,
      false,
    );
  });

  test('extradition follows the requested State’s art. 37 choice', () => {
    const offences = [{ code: 'ILLEGAL_ACCESS' as const }];
    const toDe = candidate(resolve('FR', 'DE', '2027-01-01', 'EXTRADITION', { offences }), 'UNCC');
    assert.equal(toDe.applies, false);
    assert.match(
      toDe.reason,
      /DE does not take the Convention as a legal basis for extradition \(art\. 37\)/,
    );
    assert.equal(
      candidate(resolve('DE', 'FR', '2027-01-01', 'EXTRADITION', { offences }), 'UNCC').applies,
      true,
    );
    const toKr = candidate(resolve('FR', 'KR', '2027-01-01', 'EXTRADITION', { offences }), 'UNCC');
    assert.equal(toKr.applies, true);
    assert.match(toKr.reason, /KR has not said whether it takes the Convention/);
  });

  test('a reservation of the requested State on the article is pointed out', () => {
    const uncc = candidate(resolve('FR', 'JP', '2027-01-01', 'MLA_INTERCEPTION'), 'UNCC');
    assert.equal(uncc.applies, true);
    assert.match(uncc.reason, /JP has a reservation on art\. 46 \(INTERCEPTION_DOMESTIC_LAW_ONLY\)/);
  });
});

describe('resolveLegalBasis: other instruments and treaties', () => {
  test('Budapest applies FR–DE for preservation (art. 29)', () => {
    const budapest = candidate(resolve('FR', 'DE', '2026-10-01', 'PRESERVATION'), 'BUDAPEST');
    assert.equal(budapest.applies, true);
    assert.equal(budapest.article, 'art. 29');
  });

  test('Budapest does not cover emergency disclosure; the Second Protocol does (art. 9)', () => {
    const list = resolve('FR', 'DE', '2026-10-01', 'EMERGENCY_DISCLOSURE');
    const budapest = candidate(list, 'BUDAPEST');
    assert.equal(budapest.applies, false);
    assert.equal(budapest.reason, 'Budapest Convention: does not cover emergency disclosure');
    const sap2 = candidate(list, 'BUDAPEST_SAP2');
    assert.equal(sap2.applies, true);
    assert.equal(sap2.article, 'art. 9');
  });

  test('Budapest needs both sides: VN is not a Party', () => {
    const budapest = candidate(resolve('VN', 'FR', '2026-10-01', 'PRESERVATION'), 'BUDAPEST');
    assert.equal(budapest.applies, false);
    assert.match(budapest.reason, /VN is not bound by it on 2026-10-01/);
  });

  test('an instrument not yet in force says from when', () => {
    const sap2 = candidate(resolve('FR', 'DE', '2026-06-30', 'EMERGENCY_DISCLOSURE'), 'BUDAPEST_SAP2');
    assert.equal(sap2.applies, false);
    assert.match(sap2.reason, /not in force for FR on 2026-06-30 \(in force from 2026-07-01\)/);
  });

  test('coverage is configurable', () => {
    const coverage = { BUDAPEST: { ...DEFAULT_COVERAGE.BUDAPEST, EMERGENCY_DISCLOSURE: 'art. 35' } };
    const budapest = candidate(
      resolve('FR', 'DE', '2026-10-01', 'EMERGENCY_DISCLOSURE', { coverage }),
      'BUDAPEST',
    );
    assert.equal(budapest.applies, true);
  });

  test('the VN–KR bilateral treaty applies to stored data and comes first', () => {
    const list = resolve('VN', 'KR', '2026-10-01', 'MLA_STORED_DATA');
    const primary = pickPrimaryBasis(list);
    assert.equal(primary?.basis, 'BILATERAL_TREATY');
    assert.equal(primary?.treatyRef, 'demo-vn-kr-mlat');
    assert.match(
      primary!.reason,
      /in force since 2005-04-19 and covers mutual legal assistance for stored data/,
    );
  });

  test('the bilateral treaty does not cover extradition, nor apply before it entered into force', () => {
    const extradition = candidate(resolve('KR', 'VN', '2026-10-01', 'EXTRADITION'), 'BILATERAL_TREATY');
    assert.equal(extradition.applies, false);
    assert.match(extradition.reason, /does not cover extradition/);
    const early = candidate(resolve('VN', 'KR', '2005-04-18', 'MLA_STORED_DATA'), 'BILATERAL_TREATY');
    assert.equal(early.applies, false);
    assert.match(early.reason, /not in force on 2005-04-18 \(in force from 2005-04-19\)/);
  });

  test('the ASEAN regional treaty applies between members, not with others', () => {
    const members = candidate(resolve('VN', 'SG', '2026-10-01', 'MLA_GENERAL'), 'REGIONAL_TREATY');
    assert.equal(members.applies, true);
    assert.equal(members.treatyRef, 'demo-asean-mlat');
    const other = candidate(resolve('VN', 'FR', '2026-10-01', 'MLA_GENERAL'), 'REGIONAL_TREATY');
    assert.equal(other.applies, false);
    assert.equal(other.treatyRef, undefined);
    assert.match(other.reason, /No regional treaty between VN and FR/);
  });

  test('reciprocity is the fallback and always applies', () => {
    const order = ['UNCC', 'BUDAPEST', 'RECIPROCITY'] as const;
    const list = resolve('IN', 'VN', '2027-01-01', 'EMERGENCY_DISCLOSURE', { order });
    assert.deepEqual(
      list.map((c) => c.basis),
      [...order],
    );
    const primary = pickPrimaryBasis(list);
    assert.equal(primary?.basis, 'RECIPROCITY');
    assert.equal(primary?.reason, RECIPROCITY_REASON);
    assert.equal(RECIPROCITY_REASON, 'no treaty obligation; requires an undertaking of reciprocity');
  });

  test('every candidate is returned, in the default order', () => {
    const list = resolve('VN', 'FR', '2026-12-01', 'PRESERVATION');
    assert.deepEqual(
      list.map((c) => c.basis),
      [...DEFAULT_BASIS_ORDER],
    );
    for (const c of list) assert.ok(c.reason.length > 10, `${c.basis} has a reason`);
    assert.equal(list.at(-1)?.applies, true);
  });

  test('pickPrimaryBasis returns undefined when nothing applies', () => {
    assert.equal(pickPrimaryBasis([]), undefined);
    assert.equal(pickPrimaryBasis([{ basis: 'UNCC', applies: false, reason: 'x' }]), undefined);
  });
});

describe('resolveLegalBasis: bad input', () => {
  for (const [requesting, requested, bad] of [
    ['XX', 'FR', 'XX'],
    ['VN', 'ZZ', 'ZZ'],
    ['vn', 'FR', 'vn'],
  ] as const) {
    test(`unknown code ${bad} is a typed error`, () => {
      assert.throws(
        () => resolve(requesting, requested, '2026-12-01', 'PRESERVATION'),
        (error: unknown) => {
          assert.ok(error instanceof UnknownPartyError);
          assert.equal(error.code, 'ERR_UNKNOWN_PARTY');
          assert.equal(error.partyCode, bad);
          assert.match(error.message, new RegExp(`'${bad}'`));
          return true;
        },
      );
    });
  }

  test('the same State on both sides is an error', () => {
    assert.throws(
      () => resolve('VN', 'VN', '2026-12-01', 'PRESERVATION'),
      (error: unknown) => error instanceof SamePartyError && error.code === 'ERR_SAME_PARTY',
    );
  });

  test('a malformed date is an error', () => {
    assert.throws(() => resolve('VN', 'FR', '2026-13-01', 'PRESERVATION'), InvalidDateError);
  });
});
