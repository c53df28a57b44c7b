import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Settings } from 'typebox/system';
import {
  buildDemoDirectory,
  type DirectoryProblem,
  validateDirectory,
} from '../../../src/domain/directory/index.ts';

// The demo as a loosely typed object, so tests can break it in ways the types forbid.
// biome-ignore lint/suspicious/noExplicitAny: tests corrupt the document on purpose
type Loose = any;
const demo = (): Loose => JSON.parse(JSON.stringify(buildDemoDirectory()));
const indexOf = (doc: Loose, code: string): number => doc.parties.findIndex((p: Loose) => p.code === code);

function errorsOf(doc: unknown): DirectoryProblem[] {
  const result = validateDirectory(doc);
  assert.equal(result.ok, false, 'the document should be rejected');
  return result.ok ? [] : result.errors;
}

type Case = { name: string; mutate: (doc: Loose) => void; path: string; message: string | RegExp };

const semanticCases: Case[] = [
  {
    name: 'unknown ISO code',
    mutate: (d) => {
      d.parties[3].code = 'XX';
      d.treaties[1].parties = d.treaties[1].parties.filter((c: string) => c !== 'TH');
    },
    path: '/parties/3/code',
    message: "parties/3/code: 'XX' is not an ISO 3166-1 alpha-2 code",
  },
  {
    name: 'EU without the regional flag',
    mutate: (d) => {
      d.parties[indexOf(d, 'EU')].isRegionalOrganisation = false;
    },
    path: '/parties/19/isRegionalOrganisation',
    message: /'EU' is reserved for the European Union/,
  },
  {
    name: 'regional organisation with a country code',
    mutate: (d) => {
      d.parties[0].isRegionalOrganisation = true;
    },
    path: '/parties/0/isRegionalOrganisation',
    message: /'VN' is a country code/,
  },
  {
    name: 'duplicate party code',
    mutate: (d) => {
      d.parties.push({ ...d.parties[1], authorities: [] });
    },
    path: '/parties/20/code',
    message: "parties/20/code: 'FR' is listed twice (first at parties/1); list each Party once",
  },
  {
    name: 'duplicate authority id',
    mutate: (d) => {
      d.parties[2].authorities[1].id = 'vn-247';
    },
    path: '/parties/2/authorities/1/id',
    message: /authority id 'vn-247' is already used at parties\/0\/authorities\/0/,
  },
  {
    name: 'treaty naming an unknown party',
    mutate: (d) => {
      d.treaties[1].parties.push('MM');
    },
    path: '/treaties/1/parties/8',
    message: "treaties/1/parties/8: 'MM' is not a party listed in this directory",
  },
  {
    name: 'deposit before signature',
    mutate: (d) => {
      d.parties[0].convention.depositedOn = '2025-01-01';
    },
    path: '/parties/0/convention/depositedOn',
    message: /deposit on 2025-01-01 is before signature on 2025-10-25/,
  },
  {
    name: 'denunciation before deposit',
    mutate: (d) => {
      d.parties[0].convention.denouncedOn = '2026-01-01';
    },
    path: '/parties/0/convention/denouncedOn',
    message: /denunciation on 2026-01-01 is before deposit on 2026-03-12/,
  },
  {
    name: 'invalid time zone',
    mutate: (d) => {
      d.parties[1].authorities[0].timeZone = 'Europe/Atlantis';
    },
    path: '/parties/1/authorities/0/timeZone',
    message: /'Europe\/Atlantis' is not an IANA time zone name/,
  },
  {
    name: 'offset instead of a time-zone name',
    mutate: (d) => {
      d.parties[0].authorities[0].timeZone = '+07:00';
    },
    path: '/parties/0/authorities/0/timeZone',
    message: /'\+07:00' is not an IANA time zone name/,
  },
  {
    name: 'instrument ending before it starts',
    mutate: (d) => {
      d.parties[1].instruments[0].until = '2000-01-01';
    },
    path: '/parties/1/instruments/0/until',
    message: /end date 2000-01-01 is before the start date 2003-09-29/,
  },
  {
    name: 'treaty ending before it starts',
    mutate: (d) => {
      d.treaties[0].until = '2004-01-01';
    },
    path: '/treaties/0/until',
    message: /end date 2004-01-01 is before the start date 2005-04-19/,
  },
  {
    name: 'second 24/7 point',
    mutate: (d) => {
      d.parties[1].authorities[1].kind = 'POINT_24_7';
    },
    path: '/parties/1/authorities/1/kind',
    message: /FR already has a 24\/7 point \(parties\/1\/authorities\/0\); a Party designates only one/,
  },
  {
    name: 'invalid language tag',
    mutate: (d) => {
      d.parties[0].authorities[0].languages = ['vi', 'not a tag'];
    },
    path: '/parties/0/authorities/0/languages/1',
    message: /'not a tag' is not a BCP 47 language tag/,
  },
  {
    name: 'office closing before it opens',
    mutate: (d) => {
      d.parties[0].authorities[1].workingHours = { days: [1, 2], start: '17:00', end: '08:00' };
    },
    path: '/parties/0/authorities/1/workingHours/end',
    message: /closing time 08:00 is not after opening time 17:00/,
  },
  {
    name: 'bilateral treaty with three parties',
    mutate: (d) => {
      d.treaties[0].parties.push('FR');
    },
    path: '/treaties/0/parties',
    message: /a bilateral treaty has exactly two parties; this one lists 3/,
  },
  {
    name: 'duplicate treaty id',
    mutate: (d) => {
      d.treaties[1].id = d.treaties[0].id;
    },
    path: '/treaties/1/id',
    message: /treaty id 'demo-vn-kr-mlat' is already used by treaties\/0/,
  },
  {
    name: 'private key material in a published key',
    mutate: (d) => {
      d.parties[0].authorities[0].node = {
        url: 'https://node.vn.demo.example',
        signingKeys: [
          {
            kid: 'k1',
            publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', d: 'BBBB' },
            validFrom: '2026-01-01T00:00:00Z',
          },
        ],
        encryptionKeys: [],
      };
    },
    path: '/parties/0/authorities/0/node/signingKeys/0/publicJwk',
    message: /contains private key material \(d\)/,
  },
  {
    name: 'duplicate key id in one key set',
    mutate: (d) => {
      const key = {
        kid: 'k1',
        publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' },
        validFrom: '2026-01-01T00:00:00Z',
      };
      d.parties[0].authorities[0].node = {
        url: 'https://node.vn.demo.example',
        signingKeys: [key, key],
        encryptionKeys: [],
      };
    },
    path: '/parties/0/authorities/0/node/signingKeys/1/kid',
    message: /key id 'k1' is used twice/,
  },
  {
    name: 'directory expiring before issue',
    mutate: (d) => {
      d.validUntil = '2026-01-01T00:00:00Z';
    },
    path: '/validUntil',
    message: /validUntil is not after issuedAt/,
  },
];

const structuralCases: Case[] = [
  {
    name: 'unknown field',
    mutate: (d) => {
      d.parties[0].authorities[0].timezone = 'Asia/Ho_Chi_Minh';
    },
    path: '/parties/0/authorities/0/timezone',
    message: 'parties/0/authorities/0/timezone: is not a field of this format (misspelt?)',
  },
  {
    name: 'missing field',
    mutate: (d) => {
      delete d.parties[2].name;
    },
    path: '/parties/2/name',
    message: 'parties/2/name: is missing; this field is required',
  },
  {
    name: 'lower-case code',
    mutate: (d) => {
      d.parties[0].code = 'vn';
      d.treaties = [];
    },
    path: '/parties/0/code',
    message: "parties/0/code: 'vn' must be a two-letter capital code such as VN or FR",
  },
  {
    name: 'value outside a closed list',
    mutate: (d) => {
      d.parties[0].authorities[0].kind = 'HOTLINE';
    },
    path: '/parties/0/authorities/0/kind',
    message:
      "parties/0/authorities/0/kind: 'HOTLINE' is not one of: POINT_24_7, CENTRAL_AUTHORITY, COMPETENT_AUTHORITY",
  },
  {
    name: 'impossible calendar date',
    mutate: (d) => {
      d.parties[0].convention.signedOn = '2025-02-30';
    },
    path: '/parties/0/convention/signedOn',
    message: "parties/0/convention/signedOn: '2025-02-30' must be a calendar date YYYY-MM-DD",
  },
  {
    name: 'working hours matching neither form',
    mutate: (d) => {
      d.parties[0].authorities[1].workingHours = { open: 'weekdays' };
    },
    path: '/parties/0/authorities/1/workingHours',
    message: /must be either \{ always: true \} \(24\/7\) or \{ days/,
  },
  {
    name: 'office hours with a bad time: the error points into the chosen form',
    mutate: (d) => {
      d.parties[0].authorities[1].workingHours = { days: [1], start: '8h', end: '17:00' };
    },
    path: '/parties/0/authorities/1/workingHours/start',
    message: /'8h' must be a local time 'HH:MM'/,
  },
  {
    name: 'treaty covering an unknown request type',
    mutate: (d) => {
      d.treaties[0].covers = ['PRESERVATION', 'WIRETAP'];
    },
    path: '/treaties/0/covers/1',
    message: /'WIRETAP' is not one of: PRESERVATION/,
  },
  {
    name: 'wrong format version',
    mutate: (d) => {
      d.formatVersion = 2;
    },
    path: '/formatVersion',
    message: /must be 1/,
  },
];

describe('validateDirectory', () => {
  for (const c of [...semanticCases, ...structuralCases]) {
    test(`reports ${c.name} at ${c.path}`, () => {
      const doc = demo();
      c.mutate(doc);
      const errors = errorsOf(doc);
      const at = errors.filter((e) => e.path === c.path);
      assert.equal(at.length, 1, `one problem at ${c.path}, got ${JSON.stringify(errors, null, 1)}`);
      if (typeof c.message === 'string') assert.equal(at[0]!.message, c.message);
      else assert.match(at[0]!.message, c.message);
      assert.ok(at[0]!.message.startsWith(`${c.path.slice(1)}: `), 'the message names its path');
    });
  }

  test('lists every problem at once, structural and semantic, beyond TypeBox’s default cap', () => {
    const doc = demo();
    // Cases touching different fields, so that none hides another.
    const names = [
      'EU without the regional flag',
      'duplicate party code',
      'duplicate authority id',
      'treaty naming an unknown party',
      'deposit before signature',
      'invalid time zone',
      'instrument ending before it starts',
      'second 24/7 point',
      'invalid language tag',
      'duplicate treaty id',
      'private key material in a published key',
      'unknown field',
      'missing field',
      'value outside a closed list',
      'wrong format version',
      'treaty covering an unknown request type',
    ];
    const cases = [...semanticCases, ...structuralCases].filter((c) => names.includes(c.name));
    assert.equal(cases.length, names.length);
    for (const c of cases) c.mutate(doc);
    const paths = errorsOf(doc).map((e) => e.path);
    for (const c of cases) assert.ok(paths.includes(c.path), `${c.name} is reported`);
    assert.ok(paths.length >= cases.length);
  });

  test('reports more structural problems than TypeBox stops at by default (8)', () => {
    const doc = demo();
    for (let i = 0; i < 15; i++) doc.parties[i].authorities[0].languages = 'en';
    const paths = errorsOf(doc).map((e) => e.path);
    for (let i = 0; i < 15; i++)
      assert.ok(paths.includes(`/parties/${i}/authorities/0/languages`), `party ${i}`);
  });

  test('leaves the global TypeBox error cap as it found it', () => {
    const before = Settings.Get().maxErrors;
    errorsOf({ formatVersion: 3 });
    assert.equal(Settings.Get().maxErrors, before);
  });

  for (const input of [null, undefined, 42, 'directory', true, [], [{}]]) {
    test(`a non-object input (${JSON.stringify(input) ?? 'undefined'}) gives one clear error, never a throw`, () => {
      const errors = errorsOf(input);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.path, '');
      assert.match(errors[0]!.message, /^document: a directory must be a JSON object, not /);
    });
  }

  test('an empty object lists each missing top-level field', () => {
    const paths = errorsOf({}).map((e) => e.path);
    assert.deepEqual(paths.sort(), [
      '/conventionRules',
      '/demo',
      '/formatVersion',
      '/issuedAt',
      '/parties',
      '/treaties',
    ]);
  });

  test('garbage inside the lists is reported without throwing', () => {
    const doc = demo();
    doc.parties = [null, 5, 'x', { code: 42, authorities: 'none', convention: [] }];
    doc.treaties = [null, { parties: 'VN' }];
    const errors = errorsOf(doc);
    for (const path of [
      '/parties/0',
      '/parties/1',
      '/parties/2',
      '/parties/3/code',
      '/parties/3/authorities',
      '/treaties/0',
    ]) {
      assert.ok(
        errors.some((e) => e.path === path),
        `${path} reported`,
      );
    }
  });

  test('returns the document typed when valid', () => {
    const doc = buildDemoDirectory();
    const result = validateDirectory(doc);
    assert.ok(result.ok);
    assert.equal(result.value, doc);
  });
});
