import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateDirectory } from '../../../src/domain/directory/index.ts';
import {
  conventionInForceFrom,
  conventionInForceOn,
  conventionInForceUntil,
  conventionStatus,
  generalEntryIntoForce,
  InvalidDateError,
  UnknownPartyError,
} from '../../../src/domain/legal-basis/index.ts';
import { directoryOf, fillerDepositors, party } from './directory-fixture.ts';

// 38 fillers + VN + FR = 40 States, the 40th (a filler) depositing on 2026-09-02.
const early = () => [
  party({ code: 'VN', signedOn: '2025-10-25', depositedOn: '2026-03-12' }),
  party({ code: 'FR', signedOn: '2025-10-25', depositedOn: '2026-06-15' }),
  ...fillerDepositors(38, '2026-09-02'),
];

describe('general entry into force (art. 65(1))', () => {
  test('the 90th day after the 40th deposit', () => {
    const directory = directoryOf(early());
    assert.equal(validateDirectory(directory).ok, true);
    assert.deepEqual(generalEntryIntoForce(directory), {
      date: '2026-12-01',
      lastEarlyDeposit: '2026-09-02',
      source: 'COMPUTED',
    });
  });

  test('not in force while only 39 instruments are deposited', () => {
    const directory = directoryOf(early().slice(0, 39));
    assert.equal(generalEntryIntoForce(directory), null);
    assert.equal(conventionInForceFrom(directory, 'VN'), null);
    assert.equal(conventionStatus(directory, 'VN', '2027-06-01'), 'PARTY_NOT_IN_FORCE');
  });

  test('a regional organisation’s instrument does not count toward the 40', () => {
    const withEu = [
      ...early().slice(0, 39),
      party({ code: 'EU', regional: true, depositedOn: '2026-05-01' }),
    ];
    assert.equal(generalEntryIntoForce(directoryOf(withEu)), null);
    const fortieth = party({ code: 'DE', depositedOn: '2026-10-10' });
    const directory = directoryOf([...withEu, fortieth]);
    assert.equal(generalEntryIntoForce(directory)?.date, '2027-01-08');
    // The organisation itself is bound like any early depositor.
    assert.equal(conventionInForceFrom(directory, 'EU'), '2027-01-08');
  });

  test('the configured date wins over the computation', () => {
    const directory = directoryOf(early(), { generalEntryIntoForce: '2027-01-15' });
    assert.deepEqual(generalEntryIntoForce(directory), {
      date: '2027-01-15',
      lastEarlyDeposit: '2026-10-17',
      source: 'CONFIGURED',
    });
    assert.equal(conventionInForceFrom(directory, 'FR'), '2027-01-15');
  });

  test('the configured date works with fewer than 40 listed deposits', () => {
    const directory = directoryOf(early().slice(0, 5), { generalEntryIntoForce: '2026-12-01' });
    assert.equal(conventionInForceFrom(directory, 'VN'), '2026-12-01');
  });

  test('threshold and day counts are configurable', () => {
    const parties = early().slice(0, 3);
    const directory = directoryOf(parties, { instrumentsForEntryIntoForce: 3, daysAfterThreshold: 10 });
    assert.equal(generalEntryIntoForce(directory)?.date, '2026-06-25');
  });
});

describe('entry into force per Party (art. 65)', () => {
  const cases: {
    name: string;
    depositedOn: string;
    expected: string;
    rules?: { daysAfterLaterDeposit: number };
  }[] = [
    { name: 'deposit on the same day as the 40th', depositedOn: '2026-09-02', expected: '2026-12-01' },
    {
      name: 'later joiner whose 30th day falls before the general date',
      depositedOn: '2026-10-15',
      expected: '2026-12-01',
    },
    {
      name: 'later joiner whose 30th day is the general date',
      depositedOn: '2026-11-01',
      expected: '2026-12-01',
    },
    {
      name: 'later joiner whose 30th day falls after the general date',
      depositedOn: '2026-11-20',
      expected: '2026-12-20',
    },
    { name: 'joiner long after entry into force', depositedOn: '2027-03-01', expected: '2027-03-31' },
    {
      name: 'configured 60-day rule',
      depositedOn: '2026-11-20',
      expected: '2027-01-19',
      rules: { daysAfterLaterDeposit: 60 },
    },
  ];
  // MY is a 41st depositor: on or after the 40th deposit, so the general date stays 2026-12-01.
  for (const c of cases) {
    test(`${c.name}: deposit ${c.depositedOn} → in force ${c.expected}`, () => {
      const directory = directoryOf([...early(), party({ code: 'MY', depositedOn: c.depositedOn })], c.rules);
      assert.equal(conventionInForceFrom(directory, 'MY'), c.expected);
    });
  }

  test('the later joiner is not in force the day before, and is on the day', () => {
    const directory = directoryOf([...early(), party({ code: 'MY', depositedOn: '2026-11-20' })]);
    assert.equal(conventionStatus(directory, 'MY', '2026-12-19'), 'PARTY_NOT_IN_FORCE');
    assert.equal(conventionStatus(directory, 'MY', '2026-12-20'), 'PARTY_IN_FORCE');
  });

  test('the day before and the day of general entry into force', () => {
    const directory = directoryOf(early());
    assert.equal(conventionStatus(directory, 'FR', '2026-11-30'), 'PARTY_NOT_IN_FORCE');
    assert.equal(conventionStatus(directory, 'FR', '2026-12-01'), 'PARTY_IN_FORCE');
    assert.equal(conventionInForceOn(directory, 'FR', '2026-11-30'), false);
    assert.equal(conventionInForceOn(directory, 'FR', '2026-12-01'), true);
  });
});

describe('denunciation (art. 67) and status', () => {
  test('takes effect one year after notice', () => {
    const parties = early();
    parties[0] = party({
      code: 'VN',
      signedOn: '2025-10-25',
      depositedOn: '2026-03-12',
      denouncedOn: '2028-03-10',
    });
    const directory = directoryOf(parties);
    assert.equal(conventionInForceUntil(directory, 'VN'), '2029-03-10');
    assert.equal(conventionInForceUntil(directory, 'FR'), null);
    assert.equal(conventionStatus(directory, 'VN', '2029-03-09'), 'PARTY_IN_FORCE');
    assert.equal(conventionStatus(directory, 'VN', '2029-03-10'), 'PARTY_NOT_IN_FORCE');
  });

  test('a notice on 29 February takes effect on 1 March of the next year', () => {
    const directory = directoryOf([
      party({ code: 'VN', depositedOn: '2026-03-12', denouncedOn: '2028-02-29' }),
    ]);
    assert.equal(conventionInForceUntil(directory, 'VN'), '2029-03-01');
  });

  const statusCases = [
    { spec: { code: 'JP' }, date: '2027-01-01', expected: 'NOT_SIGNED' },
    { spec: { code: 'JP', signedOn: '2025-10-25' }, date: '2025-10-24', expected: 'NOT_SIGNED' },
    { spec: { code: 'JP', signedOn: '2025-10-25' }, date: '2025-10-25', expected: 'SIGNED' },
    {
      spec: { code: 'JP', signedOn: '2025-10-25', depositedOn: '2027-02-01' },
      date: '2027-01-31',
      expected: 'SIGNED',
    },
    {
      spec: { code: 'JP', signedOn: '2025-10-25', depositedOn: '2027-02-01' },
      date: '2027-02-01',
      expected: 'PARTY_NOT_IN_FORCE',
    },
    {
      spec: { code: 'JP', signedOn: '2025-10-25', depositedOn: '2027-02-01' },
      date: '2027-03-03',
      expected: 'PARTY_IN_FORCE',
    },
    { spec: { code: 'JP', depositedOn: '2027-02-01' }, date: '2027-01-01', expected: 'NOT_SIGNED' },
  ] as const;
  for (const c of statusCases) {
    test(`${JSON.stringify(c.spec)} on ${c.date} is ${c.expected}`, () => {
      const directory = directoryOf([...early(), party(c.spec)]);
      assert.equal(conventionStatus(directory, 'JP', c.date), c.expected);
    });
  }

  test('an unknown code is a typed error', () => {
    const directory = directoryOf(early());
    assert.throws(
      () => conventionStatus(directory, 'XX', '2027-01-01'),
      (error: unknown) => {
        assert.ok(error instanceof UnknownPartyError);
        assert.equal(error.code, 'ERR_UNKNOWN_PARTY');
        assert.equal(error.partyCode, 'XX');
        return true;
      },
    );
    assert.throws(() => conventionInForceFrom(directory, 'XX'), UnknownPartyError);
  });

  test('a malformed date is a typed error', () => {
    assert.throws(() => conventionStatus(directoryOf(early()), 'VN', '2026-02-30'), InvalidDateError);
    assert.throws(() => conventionStatus(directoryOf(early()), 'VN', '1/12/2026'), InvalidDateError);
  });
});
