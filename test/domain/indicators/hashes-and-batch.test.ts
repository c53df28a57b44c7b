import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  INDICATOR_TYPES,
  isIndicatorType,
  normalizeBatch,
  normalizeIndicator,
} from '../../../src/domain/indicators/index.ts';
import { accepts, rejects } from './table.ts';

describe('file hashes', () => {
  // Digests of the empty string.
  accepts('md5', [
    ['d41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e'],
    [' D41D8CD98F00B204E9800998ECF8427E ', 'd41d8cd98f00b204e9800998ecf8427e'],
  ]);
  accepts('sha1', [['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709']]);
  accepts('sha256', [
    [
      'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
  ]);
  rejects('md5', [
    ['', 'MD5 hash is empty'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'MD5 hash must have 32 hex digits, not 40'],
    ['d41d8cd98f00b204e9800998ecf8427g', 'MD5 hash must be hexadecimal'],
  ]);
  rejects('sha1', [['d41d8cd98f00b204e9800998ecf8427e', 'SHA-1 hash must have 40 hex digits, not 32']]);
  rejects('sha256', [
    [
      '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'SHA-256 hash must be hexadecimal',
    ],
    ['e3b0c442 98fc1c14', 'SHA-256 hash must be hexadecimal'],
  ]);
});

describe('normalizeIndicator guards', () => {
  test('an unknown type passed at run time is refused, not thrown', () => {
    const result = normalizeIndicator('passport' as never, 'X123');
    assert.equal(result.ok, false);
    assert.match((result as { error: string }).error, /^unknown indicator type; use one of phone, iban/);
  });
  test('a value that is not a string is refused', () => {
    assert.deepEqual(normalizeIndicator('md5', 42 as never), { ok: false, error: 'value must be a string' });
  });
  test('over-long input is refused before parsing', () => {
    assert.deepEqual(normalizeIndicator('domain', `${'a'.repeat(9000)}.com`), {
      ok: false,
      error: 'value is longer than 8192 characters',
    });
  });
  test('INDICATOR_TYPES lists the fifteen types and isIndicatorType agrees', () => {
    assert.equal(INDICATOR_TYPES.length, 15);
    for (const t of INDICATOR_TYPES) assert.ok(isIndicatorType(t));
    for (const t of ['', 'IBAN', 'toString', 'hasOwnProperty', 'sha512', null, 3])
      assert.equal(isIndicatorType(t), false);
  });
  test('every type refuses empty input with an error naming what was expected', () => {
    for (const t of INDICATOR_TYPES) {
      const r = normalizeIndicator(t, '  ', { defaultCountry: 'VN' });
      assert.equal(r.ok, false, t);
      assert.match((r as { error: string }).error, /empty/, t);
    }
  });
  test('normalisation is idempotent: the canonical value normalises to itself', () => {
    const samples: [(typeof INDICATOR_TYPES)[number], string][] = [
      ['phone', '+84 912 345 678'],
      ['iban', 'gb82 west 1234 5698 7654 32'],
      ['bank_account', 'vn: 0123-456'],
      ['url', 'HTTPS://Bücher.de:443/a/../b#x'],
      ['domain', 'WWW.Bücher.de.'],
      ['email', 'A.B@Bücher.DE'],
      ['ipv4', '192.0.2.1'],
      ['ipv6', '2001:0DB8:0:0:1:0:0:1'],
      ['cidr', '2001:db8::77/48'],
      ['btc_wallet', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'],
      ['eth_wallet', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
      ['trx_wallet', '410000000000000000000000000000000000000000'],
      ['md5', 'D41D8CD98F00B204E9800998ECF8427E'],
      ['sha1', 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709'],
      ['sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
    ];
    assert.equal(new Set(samples.map(([t]) => t)).size, INDICATOR_TYPES.length);
    for (const [type, raw] of samples) {
      const first = normalizeIndicator(type, raw);
      assert.ok(first.ok, `${type}: ${JSON.stringify(first)}`);
      assert.deepEqual(normalizeIndicator(type, first.value), first, type);
    }
  });
});

describe('normalizeBatch', () => {
  test('one bad value fails only its own item; order and indexes are kept', () => {
    const results = normalizeBatch(
      [
        { type: 'iban', value: 'GB82 WEST 1234 5698 7654 32' },
        { type: 'iban', value: 'GB82WEST12345698765431' },
        { type: 'phone', value: '0912345678' },
        { type: 'passport', value: 'B1234567' },
        { type: 'domain', value: 'Example.COM' },
      ],
      { defaultCountry: 'VN' },
    );
    assert.deepEqual(results, [
      {
        index: 0,
        type: 'iban',
        raw: 'GB82 WEST 1234 5698 7654 32',
        ok: true,
        value: 'GB82WEST12345698765432',
      },
      { index: 1, type: 'iban', raw: 'GB82WEST12345698765431', ok: false, error: 'IBAN checksum fails' },
      { index: 2, type: 'phone', raw: '0912345678', ok: true, value: '+84912345678' },
      { index: 3, type: 'passport', raw: 'B1234567', ok: false, error: 'unknown indicator type "passport"' },
      { index: 4, type: 'domain', raw: 'Example.COM', ok: true, value: 'example.com' },
    ]);
  });
  test('malformed items (missing fields, wrong value type) are reported, not thrown', () => {
    const results = normalizeBatch([
      { type: 'md5' } as never,
      { type: 'md5', value: 7 } as never,
      null as never,
    ]);
    assert.deepEqual(
      results.map((r) => r.ok),
      [false, false, false],
    );
    assert.deepEqual(
      results.map((r) => (r.ok ? '' : r.error)),
      ['value must be a string', 'value must be a string', 'unknown indicator type "undefined"'],
    );
  });
  test('an empty batch gives an empty result', () => {
    assert.deepEqual(normalizeBatch([]), []);
  });
});

test('an unknown type is echoed in the error at most 40 characters long', () => {
  const [result] = normalizeBatch([{ type: 'x'.repeat(500), value: 'v' }]);
  assert.equal(result!.ok, false);
  assert.equal((result as { error: string }).error, `unknown indicator type "${'x'.repeat(40)}"`);
});
