// IPv4, IPv6 and CIDR in canonical text. IPv4: four decimal octets; leading zeros are refused
// because some stacks read them as octal. IPv6: RFC 5952 (lowercase, no leading zeros, the longest
// run of two or more zero groups as "::", IPv4-mapped addresses with a dotted quad).
import { fail, type NormalizeResult, ok } from './types.ts';

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!OCTET.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

export function parseIpv6(text: string): Uint16Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (side: string, last: boolean): number[] | null => {
    if (side === '') return [];
    const parts = side.split(':');
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (last && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (HEXTET.test(part)) {
        out.push(Number.parseInt(part, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const words = new Uint16Array(8);
  if (halves.length === 1) {
    const all = groupsOf(halves[0]!, true);
    if (all?.length !== 8) return null;
    words.set(all);
    return words;
  }
  const head = groupsOf(halves[0]!, false);
  const tail = groupsOf(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  words.set(head, 0);
  words.set(tail, 8 - tail.length);
  return words;
}

export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

export function formatIpv6(words: Uint16Array): string {
  // IPv4-mapped addresses (::ffff:0:0/96) keep the dotted quad (RFC 5952 section 5).
  if (words.subarray(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    Array.from(words.subarray(from, to), (w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

function stripBrackets(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

export function normalizeIpv4(raw: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('IPv4 address is empty');
  const bytes = parseIpv4(text);
  if (!bytes) return fail('not a valid IPv4 address (four decimal octets 0-255, no leading zeros)');
  return ok(formatIpv4(bytes));
}

export function normalizeIpv6(raw: string): NormalizeResult {
  const text = stripBrackets(raw.trim());
  if (text === '') return fail('IPv6 address is empty');
  if (text.includes('%')) return fail('IPv6 zone identifiers are not accepted');
  const words = parseIpv6(text);
  if (!words) return fail('not a valid IPv6 address');
  return ok(formatIpv6(words));
}

/** Zeroes every bit after the first `prefix` bits of a big-endian byte string. */
function maskBytes(bytes: Uint8Array, prefix: number): void {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
}

export function normalizeCidr(raw: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('CIDR block is empty');
  const slash = text.lastIndexOf('/');
  if (slash < 0) return fail('CIDR block needs a /prefix');
  const address = stripBrackets(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return fail('CIDR prefix must be a decimal number');
  const prefix = Number(prefixText);
  const v4 = parseIpv4(address);
  if (v4) {
    if (prefix > 32) return fail('IPv4 CIDR prefix must be 0 to 32');
    maskBytes(v4, prefix);
    return ok(`${formatIpv4(v4)}/${prefix}`);
  }
  const v6 = address.includes(':') ? parseIpv6(address) : null;
  if (v6) {
    if (prefix > 128) return fail('IPv6 CIDR prefix must be 0 to 128');
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 8; i++) {
      bytes[i * 2] = v6[i]! >> 8;
      bytes[i * 2 + 1] = v6[i]! & 255;
    }
    maskBytes(bytes, prefix);
    for (let i = 0; i < 8; i++) v6[i] = (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!;
    return ok(`${formatIpv6(v6)}/${prefix}`);
  }
  return fail('CIDR block has no valid IPv4 or IPv6 address');
}
