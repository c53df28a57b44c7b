// Domain names: IDNA to ASCII (punycode), lowercase, no trailing dot, at least two labels.
import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';
import { fail, type NormalizeResult, ok } from './types.ts';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const PLAIN_ASCII = /^[a-z0-9.-]+$/;

export function normalizeDomain(raw: string): NormalizeResult {
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
  return getDomain(domain, { allowPrivateDomains: false, validateHostname: true });
}
