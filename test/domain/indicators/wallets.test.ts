import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  base58CheckDecode,
  base58CheckEncode,
  base58Decode,
  base58Encode,
  bech32Decode,
  decodeSegwitAddress,
  eip55Checksum,
} from '../../../src/domain/indicators/index.ts';
import { accepts, rejects } from './table.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('base58 and base58check', () => {
  test('round-trips bytes with leading zeros', () => {
    for (const h of [
      '',
      '00',
      '0000ff',
      '00010203',
      'ffffffff',
      '61',
      '626262',
      '73696d706c792061206c6f6e6720737472696e67',
    ]) {
      const bytes = Uint8Array.from(Buffer.from(h, 'hex'));
      assert.equal(hex(base58Decode(base58Encode(bytes))!), h);
    }
  });
  test('known encodings (base58 draft examples)', () => {
    assert.equal(base58Encode(new TextEncoder().encode('Hello World!')), '2NEpo7TZRRrLZSi2U');
    assert.equal(base58Encode(Uint8Array.from([0, 0, 0x28, 0x7f, 0xb4, 0xcd])), '11233QC4');
  });
  test('the genesis address decodes to version 0 and its hash160', () => {
    const decoded = base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    assert.ok(decoded.ok);
    assert.equal(hex(decoded.payload), '0062e907b15cbf27d5425399ebf6f0fb50ebb88f18');
    assert.equal(base58CheckEncode(decoded.payload), '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
  });
  test('characters outside the alphabet (0, O, I, l) are refused', () => {
    for (const text of ['10', '1O', '1I', '1l', '1+']) assert.equal(base58Decode(text), null);
  });
});

// BIP-173 / BIP-350 vectors: address, scriptPubKey.
const SEGWIT_VALID: readonly (readonly [string, string])[] = [
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
  [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
  ],
  [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
  ],
  ['BC1SW50QGDZ25J', '6002751e'],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323'],
  [
    'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
    '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  ],
  [
    'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
  ],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
  ],
];

// BIP-173 and BIP-350 invalid addresses (the "tc" ones are refused for their prefix).
const SEGWIT_INVALID = [
  'tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
  'BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2',
  'bc1rw5uspcuh',
  'bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90',
  'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7',
  'bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du',
  'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv',
  'bc1gmk9yu',
  'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
  'tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf',
  'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
  'tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47',
  'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
  'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
  'bc1pw5dgrnzv',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
  'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
  'tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j',
];

describe('bech32 / bech32m (BIP-173, BIP-350)', () => {
  test('valid bech32 strings', () => {
    for (const s of [
      'A12UEL5L',
      'a12uel5l',
      'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
      'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
      '11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j',
      'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
      '?1ezyfcl',
    ]) {
      const d = bech32Decode(s);
      assert.ok(d.ok && d.encoding === 'bech32', s);
    }
  });
  test('valid bech32m strings', () => {
    for (const s of [
      'A1LQFN3A',
      'a1lqfn3a',
      'an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6',
      'abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx',
      '11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8',
      'split1checkupstagehandshakeupstreamerranterredcaperredlc445v',
      '?1v759aa',
    ]) {
      const d = bech32Decode(s);
      assert.ok(d.ok && d.encoding === 'bech32m', s);
    }
  });
  test('invalid bech32 and bech32m strings', () => {
    for (const s of [
      ' 1nwldj5',
      '\x7f1axkwrx',
      '\x801eym55h',
      'an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx',
      'pzry9x0s0muk',
      '1pzry9x0s0muk',
      'x1b4n0q5v',
      'li1dgmt3',
      'de1lg7wt\xff',
      'A1G7SGD8',
      '10a06t8',
      '1qzzfhee',
      ' 1xj0phk',
      '\x7f1g6xzxy',
      '\x801vctc34',
      'an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4',
      'qyrz8wqd2c9m',
      '1qyrz8wqd2c9m',
      'y1b0jsk6g',
      'lt1igcx5c0',
      'in1muywd',
      'mm1crxm3i',
      'au1s5cgom',
      'M1VUXWEZ',
      '16plkw9',
      '1p2gdwpf',
    ]) {
      assert.equal(bech32Decode(s).ok, false, JSON.stringify(s));
    }
  });
  for (const [address, script] of SEGWIT_VALID) {
    test(`segwit ${address.slice(0, 24)}… decodes to its scriptPubKey`, () => {
      const hrp = address.slice(0, 2).toLowerCase();
      const d = decodeSegwitAddress(hrp, address);
      assert.ok(d.ok, d.ok ? '' : d.error);
      const op = d.version === 0 ? 0 : 0x50 + d.version;
      assert.equal(
        Buffer.from([op, d.program.length]).toString('hex') + Buffer.from(d.program).toString('hex'),
        script,
      );
    });
  }
  for (const address of SEGWIT_INVALID) {
    test(`segwit ${address.slice(0, 24)}… is refused`, () => {
      const hrp = /^tc/i.test(address) ? 'bc' : address.slice(0, 2).toLowerCase();
      assert.equal(decodeSegwitAddress(hrp, address).ok, false);
    });
  }
});

describe('Bitcoin addresses', () => {
  accepts('btc_wallet', [
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['1111111111111111111114oLvT2', '1111111111111111111114oLvT2'],
    ['bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ],
    ['BC1SW50QGDZ25J', 'bc1sw50qgdz25j'],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs'],
  ]);
  rejects('btc_wallet', [
    ['', 'Bitcoin address is empty'],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'Bitcoin address base58check checksum fails'],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a', 'Bitcoin address holds a character outside the base58 alphabet'],
    // Testnet P2PKH (version 0x6f) and a Tron address (0x41): valid base58check, wrong network.
    ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'Bitcoin address version 0x6f is not mainnet P2PKH or P2SH'],
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'Bitcoin address version 0x41 is not mainnet P2PKH or P2SH'],
    [
      'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
      'Bitcoin address holds a character outside the base58 alphabet',
    ],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'Bitcoin segwit address bech32 checksum fails'],
    [
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh',
      'Bitcoin segwit address witness v0 must use bech32, not bech32m',
    ],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
      'Bitcoin segwit address witness v1 must use bech32m, not bech32',
    ],
    [
      'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
      'Bitcoin segwit address has a v0 witness program of 16 bytes (20 or 32 allowed)',
    ],
    ['bc1gmk9yu', 'Bitcoin segwit address has no witness version'],
  ]);
});

describe('Ethereum addresses (EIP-55)', () => {
  // The examples of EIP-55: all caps, all lower, and mixed-case checksummed.
  const eip55 = [
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ];
  accepts(
    'eth_wallet',
    eip55.map((a) => [a, a.toLowerCase()] as const),
  );
  test('eip55Checksum reproduces the mixed-case examples', () => {
    for (const a of eip55.slice(4)) assert.equal(`0x${eip55Checksum(a.slice(2).toLowerCase())}`, a);
  });
  rejects('eth_wallet', [
    ['', 'Ethereum address is empty'],
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'Ethereum address EIP-55 checksum fails'],
    ['0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'Ethereum address EIP-55 checksum fails'],
    ['5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', 'Ethereum address must be 0x followed by 40 hex digits'],
    ['0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea', 'Ethereum address must be 0x followed by 40 hex digits'],
    ['0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedaa', 'Ethereum address must be 0x followed by 40 hex digits'],
    ['0xgaaeb6053f3e94c9b9a09f33669435e7ef1beaed', 'Ethereum address must be 0x followed by 40 hex digits'],
  ]);
});

describe('Tron addresses', () => {
  accepts('trx_wallet', [
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb', 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb'],
    // The hex spelling of the same address as the line above (0x41 + twenty zero bytes).
    ['410000000000000000000000000000000000000000', 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb'],
  ]);
  test('hex and base58 spellings of an address meet', () => {
    const decoded = base58CheckDecode('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
    assert.ok(decoded.ok);
    assert.equal(decoded.payload[0], 0x41);
    assert.equal(base58CheckEncode(decoded.payload), 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
  });
  rejects('trx_wallet', [
    ['', 'Tron address is empty'],
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', 'Tron address base58check checksum fails'],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'Tron address must be 0x41 followed by a 20-byte hash'],
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6O', 'Tron address holds a character outside the base58 alphabet'],
  ]);
});
