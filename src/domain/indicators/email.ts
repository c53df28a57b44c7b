// E-mail addresses: the domain part is normalised like a domain (IDNA, lowercase); the local part
// is kept as written because RFC 5321 leaves its case to the receiving server. Basic syntax only:
// an unquoted dot-atom (UTF-8 allowed, RFC 6531), 1-64 octets, no leading, trailing or double dot.
import { isPlainDomain, normalizeDomain } from './domain.ts';
import { fail, type NormalizeResult, ok } from './types.ts';

const ATOM_CHARS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\uffff]+$/u;

/** The ASCII characters of an unquoted dot-atom (ATOM_CHARS below the non-ASCII range). */
const ASCII_ATOM = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~.-")
  ASCII_ATOM[c.charCodeAt(0)] = 1;

/**
 * An address already in normal form with an ASCII local part and a plain domain, checked in one pass
 * (bulk checks call this per value); null sends it to the general path, which answers the same for
 * every address this accepts.
 */
function plainEmail(raw: string): string | null {
  const at = raw.lastIndexOf('@');
  if (at < 1 || at > 64 || raw.length - at - 1 > 253 || raw.length > 254) return null;
  let previous = 46; // a leading dot is misplaced, as a dot after a dot
  for (let i = 0; i < at; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 128 || ASCII_ATOM[c] === 0 || (c === 46 && previous === 46)) return null;
    previous = c;
  }
  if (previous === 46) return null;
  // "mailto:" would be cut by the general path (it holds ':', which is not an atom character).
  return isPlainDomain(raw.slice(at + 1)) ? raw : null;
}

export function normalizeEmail(raw: string): NormalizeResult {
  const plain = plainEmail(raw);
  if (plain !== null) return ok(plain);
  const text = raw.trim().replace(/^mailto:/i, '');
  if (text === '') return fail('e-mail address is empty');
  const at = text.lastIndexOf('@');
  if (at < 0) return fail('e-mail address has no @');
  const local = text.slice(0, at);
  const domainPart = text.slice(at + 1);
  if (local === '') return fail('e-mail address has an empty local part');
  if (local.startsWith('"')) return fail('quoted e-mail local parts are not accepted');
  if (Buffer.byteLength(local, 'utf8') > 64) return fail('e-mail local part is longer than 64 octets');
  if (!ATOM_CHARS.test(local)) return fail('e-mail local part holds a character that is not allowed');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail('e-mail local part has a misplaced dot');
  }
  if (domainPart.startsWith('[')) return fail('e-mail address literals ([IP]) are not accepted');
  const domain = normalizeDomain(domainPart);
  if (!domain.ok) return fail(`e-mail ${domain.error}`);
  const address = `${local}@${domain.value}`;
  // RFC 5321 caps a path at 256 octets including the angle brackets.
  if (Buffer.byteLength(address, 'utf8') > 254) return fail('e-mail address is longer than 254 octets');
  return ok(address);
}
