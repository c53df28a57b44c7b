// Bech32 (BIP-173) and Bech32m (BIP-350) decoding, and segwit address validation.

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CHARSET_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) CHARSET_REV[CHARSET.charCodeAt(i)] = i;

export const BECH32_CONST = 1;
export const BECH32M_CONST = 0x2bc830a3;
export type Bech32Encoding = 'bech32' | 'bech32m';

function polymod(values: number[]): number {
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

export type Bech32Decoded =
  | { ok: true; hrp: string; data: number[]; encoding: Bech32Encoding }
  | { ok: false; error: string };

/** Decodes a bech32 or bech32m string (checksum removed from data); the encoding says which constant matched. */
export function bech32Decode(text: string): Bech32Decoded {
  if (text.length > 90) return { ok: false, error: 'is longer than 90 characters' };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) return { ok: false, error: 'holds a character outside printable ASCII' };
  }
  const lower = text.toLowerCase();
  if (lower !== text && text.toUpperCase() !== text)
    return { ok: false, error: 'mixes upper and lower case' };
  const sep = lower.lastIndexOf('1');
  if (sep < 1) return { ok: false, error: 'has no human-readable part' };
  if (sep + 7 > lower.length) return { ok: false, error: 'has a data part shorter than its checksum' };
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const v = c < 128 ? CHARSET_REV[c]! : -1;
    if (v < 0) return { ok: false, error: `holds "${lower[i]}", not in the bech32 alphabet` };
    data.push(v);
  }
  const check = polymod([...hrpExpand(hrp), ...data]);
  const encoding: Bech32Encoding | null =
    check === BECH32_CONST ? 'bech32' : check === BECH32M_CONST ? 'bech32m' : null;
  if (!encoding) return { ok: false, error: 'bech32 checksum fails' };
  return { ok: true, hrp, data: data.slice(0, -6), encoding };
}

/** Regroups 5-bit words into bytes; null on leftover padding of 5+ bits or non-zero padding. */
export function fromWords(words: number[]): Uint8Array | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const w of words) {
    acc = (acc << 5) | w;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits >= 5 || acc !== 0) return null;
  return Uint8Array.from(out);
}

export type SegwitDecoded = { ok: true; version: number; program: Uint8Array } | { ok: false; error: string };

/** Validates a segwit address for the given human-readable part (BIP-173 for v0, BIP-350 for v1+). */
export function decodeSegwitAddress(hrp: string, address: string): SegwitDecoded {
  const decoded = bech32Decode(address);
  if (!decoded.ok) return decoded;
  if (decoded.hrp !== hrp) return { ok: false, error: `has prefix ${decoded.hrp}, expected ${hrp}` };
  if (decoded.data.length < 1) return { ok: false, error: 'has no witness version' };
  const version = decoded.data[0]!;
  if (version > 16) return { ok: false, error: `has witness version ${version}, above 16` };
  if (version === 0 && decoded.encoding !== 'bech32') {
    return { ok: false, error: 'witness v0 must use bech32, not bech32m' };
  }
  if (version !== 0 && decoded.encoding !== 'bech32m') {
    return { ok: false, error: `witness v${version} must use bech32m, not bech32` };
  }
  const program = fromWords(decoded.data.slice(1));
  if (!program) return { ok: false, error: 'has invalid padding in its witness program' };
  if (program.length < 2 || program.length > 40) {
    return { ok: false, error: `has a witness program of ${program.length} bytes (2 to 40 allowed)` };
  }
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return { ok: false, error: `has a v0 witness program of ${program.length} bytes (20 or 32 allowed)` };
  }
  return { ok: true, version, program };
}
