import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareTlp,
  isTlpLevel,
  mayRead,
  parseTlp,
  stricterTlp,
  TLP_LEVELS,
  type TlpLevel,
  type TlpReader,
} from '../../../src/domain/tlp/index.ts';

// One alert published by bank-a to the ASEAN group, naming telco-x and the user u-liaison.
const alert = {
  alertOrg: 'bank-a',
  alertGroup: 'asean',
  recipientsOrgs: ['telco-x'],
  recipientsUsers: ['u-liaison'],
} as const;

type Viewer = { label: string; reader: Omit<TlpReader, 'alertOrg'> };

const viewers: Viewer[] = [
  { label: 'anonymous (no organisation)', reader: {} },
  { label: 'member outside the group', reader: { viewerOrg: 'bank-z', viewerGroups: ['national-vn'] } },
  { label: 'member in the group', reader: { viewerOrg: 'cert-th', viewerGroups: ['asean', 'national-th'] } },
  { label: 'named recipient org outside the group', reader: { viewerOrg: 'telco-x', viewerGroups: [] } },
  {
    label: 'named user of another org',
    reader: { viewerOrg: 'bank-z', viewerGroups: [], viewerUser: 'u-liaison' },
  },
  { label: 'the publishing org', reader: { viewerOrg: 'bank-a', viewerGroups: [] } },
];

// Expected: rows are viewers (in the order above), columns are TLP_LEVELS.
const EXPECTED: Record<string, Record<TlpLevel, boolean>> = {
  'anonymous (no organisation)': {
    CLEAR: true,
    GREEN: false,
    AMBER: false,
    'AMBER+STRICT': false,
    RED: false,
  },
  'member outside the group': { CLEAR: true, GREEN: true, AMBER: false, 'AMBER+STRICT': false, RED: false },
  'member in the group': { CLEAR: true, GREEN: true, AMBER: true, 'AMBER+STRICT': false, RED: false },
  'named recipient org outside the group': {
    CLEAR: true,
    GREEN: true,
    AMBER: true,
    'AMBER+STRICT': true,
    RED: true,
  },
  'named user of another org': { CLEAR: true, GREEN: true, AMBER: true, 'AMBER+STRICT': true, RED: true },
  'the publishing org': { CLEAR: true, GREEN: true, AMBER: true, 'AMBER+STRICT': true, RED: true },
};

describe('TLP 2.0 mayRead', () => {
  for (const { label, reader } of viewers) {
    for (const level of TLP_LEVELS) {
      const expected = EXPECTED[label]![level];
      test(`${level}: ${label} ${expected ? 'may' : 'may not'} read`, () => {
        assert.equal(mayRead(level, { ...alert, ...reader }), expected);
      });
    }
  }

  test('AMBER without a sharing group reaches only the publisher and named recipients', () => {
    const base = { alertOrg: 'bank-a', alertGroup: null, recipientsOrgs: ['telco-x'] };
    assert.equal(mayRead('AMBER', { ...base, viewerOrg: 'cert-th', viewerGroups: ['asean'] }), false);
    assert.equal(mayRead('AMBER', { ...base, viewerOrg: 'telco-x', viewerGroups: [] }), true);
    assert.equal(mayRead('AMBER', { ...base, viewerOrg: 'bank-a' }), true);
  });

  test('AMBER: a group name alone without an organisation does not open the alert', () => {
    assert.equal(
      mayRead('AMBER', { alertOrg: 'bank-a', alertGroup: 'asean', viewerGroups: ['asean'] }),
      false,
    );
  });

  test('RED: recipients are matched exactly, not by prefix or case', () => {
    const base = { alertOrg: 'bank-a', recipientsOrgs: ['telco-x'] };
    assert.equal(mayRead('RED', { ...base, viewerOrg: 'telco-x' }), true);
    assert.equal(mayRead('RED', { ...base, viewerOrg: 'TELCO-X' }), false);
    assert.equal(mayRead('RED', { ...base, viewerOrg: 'telco' }), false);
  });

  test('a level that is not TLP 2.0 denies everyone, even the publisher', () => {
    for (const level of ['WHITE', 'amber', 'TLP:RED', ''] as never[]) {
      assert.equal(mayRead(level, { alertOrg: 'bank-a', viewerOrg: 'bank-a' }), false);
    }
  });
});

describe('TLP labels', () => {
  for (const [text, expected] of [
    ['CLEAR', 'CLEAR'],
    ['TLP:CLEAR', 'CLEAR'],
    ['tlp:white', 'CLEAR'],
    ['TLP:GREEN', 'GREEN'],
    ['amber', 'AMBER'],
    ['TLP:AMBER+STRICT', 'AMBER+STRICT'],
    [' tlp: amber+strict ', 'AMBER+STRICT'],
    ['TLP:RED', 'RED'],
    ['AMBER STRICT', null],
    ['ORANGE', null],
    ['', null],
    ['toString', null],
  ] as const) {
    test(`parseTlp(${JSON.stringify(text)}) is ${expected}`, () => {
      assert.equal(parseTlp(text), expected);
    });
  }

  test('levels are ordered from CLEAR to RED', () => {
    for (let i = 0; i + 1 < TLP_LEVELS.length; i++) {
      assert.ok(compareTlp(TLP_LEVELS[i]!, TLP_LEVELS[i + 1]!) < 0);
      assert.equal(stricterTlp(TLP_LEVELS[i]!, TLP_LEVELS[i + 1]!), TLP_LEVELS[i + 1]);
      assert.equal(stricterTlp(TLP_LEVELS[i + 1]!, TLP_LEVELS[i]!), TLP_LEVELS[i + 1]);
    }
    assert.equal(compareTlp('AMBER', 'AMBER'), 0);
  });

  test('isTlpLevel accepts exactly the five levels', () => {
    for (const level of TLP_LEVELS) assert.ok(isTlpLevel(level));
    for (const other of ['WHITE', 'amber', 'constructor', 'TLP:RED', 1, null])
      assert.equal(isTlpLevel(other), false);
  });
});
