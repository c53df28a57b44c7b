// Crypto wallet addresses. Bitcoin: mainnet base58check P2PKH (version 0x00) / P2SH (0x05), or
// segwit bech32/bech32m with prefix bc (lowercased). Ethereum: 0x + 40 hex, EIP-55 checksum checked
// when the case is mixed, lowercased. Tron: base58check of 0x41 + 20 bytes (the hex form 41… is
// turned into base58 so both spellings of one address meet in the index).
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58CheckDecode, base58CheckEncode } from './base58.ts';
import { decodeSegwitAddress } from './bech32.ts';
import { fail, type NormalizeResult, ok } from './types.ts';

const BTC_VERSIONS: Readonly<Record<number, string>> = { 0: 'P2PKH', 5: 'P2SH' };

export function normalizeBtcWallet(raw: string): NormalizeResult {
  const text = raw.trim().replace(/^bitcoin:/i, '');
  if (text === '') return fail('Bitcoin address is empty');
  if (/^bc1/i.test(text)) {
    const segwit = decodeSegwitAddress('bc', text);
    if (!segwit.ok) return fail(`Bitcoin segwit address ${segwit.error}`);
    return ok(text.toLowerCase());
  }
  const decoded = base58CheckDecode(text);
  if (!decoded.ok) return fail(`Bitcoin address ${decoded.error}`);
  const version = decoded.payload[0]!;
  if (!BTC_VERSIONS[version]) {
    return fail(
      `Bitcoin address version 0x${version.toString(16).padStart(2, '0')} is not mainnet P2PKH or P2SH`,
    );
  }
  if (decoded.payload.length !== 21) return fail('Bitcoin address must carry a 20-byte hash');
  return ok(text);
}

/** The EIP-55 mixed-case spelling of a lowercase 40-hex-digit address (without 0x). */
export function eip55Checksum(lowerHex: string): string {
  const hash = keccak_256(new TextEncoder().encode(lowerHex));
  let out = '';
  for (let i = 0; i < 40; i++) {
    const ch = lowerHex[i]!;
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 15;
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

export function normalizeEthWallet(raw: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('Ethereum address is empty');
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return fail('Ethereum address must be 0x followed by 40 hex digits');
  const hex = text.slice(2);
  const lower = hex.toLowerCase();
  const mixed = hex !== lower && hex !== hex.toUpperCase();
  if (mixed && eip55Checksum(lower) !== hex) return fail('Ethereum address EIP-55 checksum fails');
  return ok(`0x${lower}`);
}

export function normalizeTrxWallet(raw: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('Tron address is empty');
  if (/^41[0-9a-fA-F]{40}$/.test(text)) {
    return ok(base58CheckEncode(Uint8Array.from(Buffer.from(text, 'hex'))));
  }
  const decoded = base58CheckDecode(text);
  if (!decoded.ok) return fail(`Tron address ${decoded.error}`);
  if (decoded.payload.length !== 21 || decoded.payload[0] !== 0x41) {
    return fail('Tron address must be 0x41 followed by a 20-byte hash');
  }
  return ok(text);
}
