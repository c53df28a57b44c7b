import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ibanMod97 } from '../../../src/domain/indicators/index.ts';
import { accepts, rejects } from './table.ts';

describe('phone numbers to E.164', () => {
  accepts('phone', [
    ['+84 912 345 678', '+84912345678'],
    ['+84-91-234-5678', '+84912345678'],
    ['0912 345 678', '+84912345678', { defaultCountry: 'VN' }],
    ['0912345678', '+84912345678', { defaultCountry: 'vn' }],
    ['0084912345678', '+84912345678'],
    ['+84 24 3825 1234', '+842438251234'],
    ['+44 20 7946 0958', '+442079460958'],
    ['020 7946 0958', '+442079460958', { defaultCountry: 'GB' }],
    ['+1 (202) 555-0123', '+12025550123'],
    ['+33 1 42 68 53 00', '+33142685300'],
    ['+66 81 234 5678', '+66812345678'],
    // An international number wins over the default country.
    ['+44 20 7946 0958', '+442079460958', { defaultCountry: 'VN' }],
  ]);
  rejects('phone', [
    ['', 'phone number is empty'],
    ['   ', 'phone number is empty'],
    ['0912345678', 'phone number needs a +country code or a default country'],
    ['+84 12', 'not a valid phone number for VN'],
    ['+84 1234 5678 9012', 'not a valid phone number for VN'],
    ['12', 'not a valid phone number for VN', { defaultCountry: 'VN' }],
    ['+999 1234 5678', 'not a valid phone number'],
    ['hello', 'not a valid phone number for VN', { defaultCountry: 'VN' }],
    ['0912345678', 'unknown country ZZ for phone numbers', { defaultCountry: 'ZZ' }],
    [`+84${'9'.repeat(70)}`, 'phone number is too long'],
  ]);
});

describe('IBAN', () => {
  // Examples from the SWIFT IBAN registry, one per country, plus the two classic test IBANs.
  const registry = [
    'AL47212110090000000235698741',
    'AD1200012030200359100100',
    'AT611904300234573201',
    'BE68539007547034',
    'BA391290079401028494',
    'BG80BNBG96611020345678',
    'BR9700360305000010009795493P1',
    'HR1210010051863000160',
    'CY17002001280000001200527600',
    'CZ6508000000192000145399',
    'DK5000400440116243',
    'EE382200221020145685',
    'FI2112345600000785',
    'FR1420041010050500013M02606',
    'DE89370400440532013000',
    'GI75NWBK000000007099453',
    'GR1601101250000000012300695',
    'HU42117730161111101800000000',
    'IS140159260076545510730339',
    'IE29AIBK93115212345678',
    'IL620108000000099999999',
    'IT60X0542811101000000123456',
    'LV80BANK0000435195001',
    'LI21088100002324013AA',
    'LT121000011101001000',
    'LU280019400644750000',
    'MT84MALT011000012345MTLCAST001S',
    'MC5811222000010123456789030',
    'NL91ABNA0417164300',
    'NO9386011117947',
    'PL61109010140000071219812874',
    'PT50000201231234567890154',
    'RO49AAAA1B31007593840000',
    'SM86U0322509800000000270100',
    'SA0380000000608010167519',
    'RS35260005601001611379',
    'SK3112000000198742637541',
    'SI56263300012039086',
    'ES9121000418450200051332',
    'SE4550000000058398257466',
    'CH9300762011623852957',
    'TR330006100519786457841326',
    'GB29NWBK60161331926819',
    'GB82WEST12345698765432',
    'UA213223130000026007233566001',
    'AE070331234567890123456',
    'VA59001123000012345678',
    'XK051212012345678906',
  ];
  accepts(
    'iban',
    registry.map((iban) => [iban, iban] as const),
  );
  accepts('iban', [
    ['GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432'],
    ['gb82 west 1234 5698 7654 32', 'GB82WEST12345698765432'],
    ['IBAN DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['IBAN: DE89-3704-0044-0532-0130-00', 'DE89370400440532013000'],
    ['\u00a0FR14 2004 1010 0505 0001 3M02 606 ', 'FR1420041010050500013M02606'],
  ]);
  rejects('iban', [
    ['', 'IBAN is empty'],
    ['GB82WEST12345698765431', 'IBAN checksum fails'],
    ['GB28WEST12345698765432', 'IBAN checksum fails'],
    ['DE89370400440532013001', 'IBAN checksum fails'],
    // Two swapped digits: the transposition mod-97 is designed to catch.
    ['DE89370400440532031000', 'IBAN checksum fails'],
    ['GB82WEST1234569876543', 'IBAN for GB must have 22 characters, not 21'],
    ['DE8937040044053201300000', 'IBAN for DE must have 22 characters, not 24'],
    ['US12345678901234567890', 'IBAN country US does not use IBANs'],
    ['VN12345678901234567890', 'IBAN country VN does not use IBANs'],
    ['DE8937040044_0532013000', 'IBAN may hold only letters and digits'],
    ['1234567890', 'IBAN must start with a country code and two check digits'],
    ['DEXX370400440532013000', 'IBAN must start with a country code and two check digits'],
  ]);
  test('mod-97 of a valid IBAN is 1 and changes when any single digit changes', () => {
    const iban = 'DE89370400440532013000';
    assert.equal(ibanMod97(iban), 1);
    for (let i = 4; i < iban.length; i++) {
      const digit = Number(iban[i]);
      const changed = iban.slice(0, i) + String((digit + 1) % 10) + iban.slice(i + 1);
      assert.notEqual(ibanMod97(changed), 1, `digit ${i} changed`);
    }
  });
});

describe('bank accounts (CC:ACCOUNT)', () => {
  accepts('bank_account', [
    ['VN:0123 456 789', 'VN:0123456789'],
    ['vn : 0123-456-789', 'VN:0123456789'],
    ['0123.456.789', 'VN:0123456789', { defaultCountry: 'VN' }],
    ['US:021000021/123456789', 'US:021000021123456789'],
    ['GB:40-47-84 70872490', 'GB:40478470872490'],
    ['th:abc12345', 'TH:ABC12345'],
    // An explicit country beats the default.
    ['KH:00012345', 'KH:00012345', { defaultCountry: 'VN' }],
  ]);
  rejects('bank_account', [
    ['', 'bank account is empty'],
    ['0123456789', 'bank account needs a country, as CC:account or a default country'],
    ['ZZ:0123456789', 'unknown country ZZ for bank account'],
    ['UK:0123456789', 'unknown country UK for bank account'],
    ['VN:0123_456', 'bank account may hold only letters, digits and separators'],
    ['VN:12 3', 'bank account must have 4 to 34 letters or digits'],
    [`VN:${'1'.repeat(35)}`, 'bank account must have 4 to 34 letters or digits'],
  ]);
});
