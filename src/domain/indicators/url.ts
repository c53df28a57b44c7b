// URLs through the WHATWG parser: it lowercases scheme and host, applies IDNA, resolves dot segments
// and drops default ports. We also drop the fragment (never sent to the server) and a trailing
// dot on the host, accept only http and https, and apply the percent-encoding normalisations of
// RFC 3986 section 6.2.2 that WHATWG leaves out: hex digits in upper case, and unreserved
// characters (letters, digits, - . _ ~) decoded, so /%7euser and /~user are one indicator.
import { fail, type NormalizeResult, ok } from './types.ts';

export function normalizeUrl(raw: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('URL is empty');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return fail('URL must start with http:// or https://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('URL does not parse');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`URL scheme ${url.protocol.slice(0, -1)} is not accepted (http or https only)`);
  }
  if (url.hostname === '') return fail('URL has no host');
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  url.hash = '';
  return ok(url.href.replace(/%([0-9a-fA-F]{2})/g, normalisePercent));
}

function normalisePercent(_match: string, hex: string): string {
  const code = Number.parseInt(hex, 16);
  const unreserved =
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e;
  return unreserved ? String.fromCharCode(code) : `%${hex.toUpperCase()}`;
}
