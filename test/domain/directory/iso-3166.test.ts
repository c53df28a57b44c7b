import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ISO_3166_1,
  isIso3166Alpha2,
  isRegionalOrganisationCode,
} from '../../../src/domain/directory/index.ts';

describe('ISO 3166-1 alpha-2 list', () => {
  test('holds all 249 assigned codes, each two capital letters with a name', () => {
    const codes = Object.keys(ISO_3166_1);
    assert.equal(codes.length, 249);
    for (const code of codes) {
      assert.match(code, /^[A-Z]{2}$/);
      assert.ok(ISO_3166_1[code]!.length > 2, `${code} has a name`);
    }
  });

  for (const [code, expected] of [
    ['VN', true],
    ['FR', true],
    ['GB', true],
    ['AQ', true],
    ['UK', false],
    ['EU', false],
    ['XK', false],
    ['vn', false],
    ['toString', false],
  ] as const) {
    test(`isIso3166Alpha2('${code}') is ${expected}`, () => {
      assert.equal(isIso3166Alpha2(code), expected);
    });
  }

  test('EU is a reserved regional-organisation code, FR is not', () => {
    assert.equal(isRegionalOrganisationCode('EU'), true);
    assert.equal(isRegionalOrganisationCode('FR'), false);
  });

  test('English short names follow ISO', () => {
    assert.equal(ISO_3166_1['VN'], 'Viet Nam');
    assert.equal(ISO_3166_1['KR'], 'Korea, Republic of');
  });
});
