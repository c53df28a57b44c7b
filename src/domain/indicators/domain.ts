// Domain names: IDNA to ASCII (punycode), lowercase, no trailing dot, at least two labels.
import { domainToASCII } from 'node:url';
import { lazyModule } from '../lazy-module.ts';
import { fail, type NormalizeResult, ok } from './types.ts';

// The public suffix list (200 KB of code) is loaded at the first registrable domain asked for, not
// with the node.
const tldts = lazyModule<typeof import('tldts')>('tldts', import.meta.url);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const PLAIN_ASCII = /^[a-z0-9.-]+$/;

/**
 * Whether `text` is already a normalised domain in plain lowercase ASCII (no punycode): labels of
 * a-z, 0-9 and inner hyphens, 1-63 characters, at least two, the last not all digits, 253 at most.
 * One pass over the characters, no regular expression or array: bulk checks call this per value, and
 * the general path below answers the same for every such name (it maps it to itself).
 */
export function isPlainDomain(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 253) return false;
  let start = 0;
  let labels = 0;
  let digitsOnly = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - start;
      if (len < 1 || len > 63 || text.charCodeAt(start) === 45 || text.charCodeAt(i - 1) === 45) return false;
      // xn-- labels are checked by domainToASCII, on the general path.
      if (len >= 4 && text.charCodeAt(start + 2) === 45 && text.charCodeAt(start + 3) === 45) return false;
      labels++;
      if (i < n) digitsOnly = true;
      start = i + 1;
    } else if ((c >= 97 && c <= 122) || c === 45) digitsOnly = false;
    else if (c < 48 || c > 57) return false;
  }
  return labels >= 2 && !digitsOnly;
}

export function normalizeDomain(raw: string): NormalizeResult {
  if (isPlainDomain(raw)) return ok(raw);
  let text = raw.trim();
  if (text === '') return fail('domain is empty');
  if (/[\s/:@?#\\]/.test(text)) return fail('domain must be a bare host name, not a URL or address');
  if (text.endsWith('.')) text = text.slice(0, -1);
  // domainToASCII applies UTS #46 (mapping, lowercase, punycode) and answers '' when that fails.
  // Lowercase ASCII without punycode labels maps to itself: skipping the call makes bulk checks of
  // domains and e-mail addresses several times faster.
  const ascii = PLAIN_ASCII.test(text) && !text.includes('xn--') ? text : domainToASCII(text);
  if (ascii === '') return fail('domain is not a valid internationalised name');
  if (ascii.length > 253) return fail('domain is longer than 253 characters');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('domain needs at least two labels');
  for (const label of labels) {
    if (!LABEL.test(label)) return fail(`domain label "${label}" is not valid`);
  }
  if (/^[0-9]+$/.test(labels.at(-1)!)) return fail('an IP address is not a domain');
  return ok(ascii);
}

/**
 * The registrable domain (public suffix + one label) of a normalised domain, from the ICANN section
 * of the public suffix list; null when the name is itself a public suffix.
 */
export function registrableDomain(domain: string): string | null {
  return tldts().getDomain(domain, { allowPrivateDomains: false, validateHostname: true });
}
