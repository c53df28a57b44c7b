// STIX patterns for the hub's indicator types, both ways. Types STIX has no observable for (phone
// numbers, bank accounts, crypto wallets) use the custom observables OpenCTI emits, so its exports and
// ours read the same: phone-number:value, bank-account:iban / account_number, cryptocurrency-wallet:value.
import {
  type IndicatorType,
  normalizeBtcWallet,
  normalizeEthWallet,
  normalizeTrxWallet,
} from '../domain/indicators/index.ts';

const PATHS: Readonly<Record<IndicatorType, string>> = {
  phone: 'phone-number:value',
  iban: 'bank-account:iban',
  bank_account: 'bank-account:account_number',
  url: 'url:value',
  domain: 'domain-name:value',
  email: 'email-addr:value',
  ipv4: 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  cidr: 'ipv4-addr:value',
  btc_wallet: 'cryptocurrency-wallet:value',
  eth_wallet: 'cryptocurrency-wallet:value',
  trx_wallet: 'cryptocurrency-wallet:value',
  md5: 'file:hashes.MD5',
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
};

/** A STIX string literal: backslash and quote escaped (STIX patterning §9.2). */
function literal(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export function patternFor(type: IndicatorType, value: string): string {
  const path = type === 'cidr' && value.includes(':') ? 'ipv6-addr:value' : PATHS[type];
  return `[${path} = ${literal(value)}]`;
}

export type PatternValue = { type: IndicatorType; value: string };

// One comparison: object-type:property.path OPERATOR 'literal'. Paths may quote keys ('SHA-256').
const COMPARISON =
  /([a-z0-9][a-z0-9-]*):((?:[a-z0-9_]+|'[^']*')(?:\.(?:[a-z0-9_]+|'[^']*'|\[\d+\]|\[\*\]))*)\s*(=|!=|<=|>=|<|>|LIKE|MATCHES|IN|ISSUBSET|ISSUPERSET)\s*'((?:[^'\\]|\\.)*)'/gi;

const HASH_NAMES: Readonly<Record<string, IndicatorType>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  SHA1: 'sha1',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
};

function unquote(key: string): string {
  return key.startsWith("'") ? key.slice(1, -1) : key;
}

function walletType(value: string): IndicatorType | null {
  if (normalizeBtcWallet(value).ok) return 'btc_wallet';
  if (normalizeEthWallet(value).ok) return 'eth_wallet';
  if (normalizeTrxWallet(value).ok) return 'trx_wallet';
  return null;
}

function typeOf(objectType: string, path: string, value: string): IndicatorType | null {
  const steps = path.split('.').map(unquote);
  const last = steps[steps.length - 1]!;
  switch (objectType.toLowerCase()) {
    case 'ipv4-addr':
      return last === 'value' ? (value.includes('/') ? 'cidr' : 'ipv4') : null;
    case 'ipv6-addr':
      return last === 'value' ? (value.includes('/') ? 'cidr' : 'ipv6') : null;
    case 'domain-name':
      return last === 'value' ? 'domain' : null;
    case 'url':
      return last === 'value' ? 'url' : null;
    case 'email-addr':
      return last === 'value' ? 'email' : null;
    case 'email-message':
      // MISP writes senders as email-message:from_ref.value.
      return steps[0] === 'from_ref' && last === 'value' ? 'email' : null;
    case 'network-traffic':
      if (!/^(src|dst)_ref$/.test(steps[0] ?? '') || last !== 'value') return null;
      return value.includes(':') ? 'ipv6' : 'ipv4';
    case 'file':
      return steps[0] === 'hashes' && steps.length === 2 ? (HASH_NAMES[last.toUpperCase()] ?? null) : null;
    case 'phone-number':
      return last === 'value' ? 'phone' : null;
    case 'bank-account':
      return last === 'iban' ? 'iban' : last === 'account_number' ? 'bank_account' : null;
    case 'cryptocurrency-wallet':
      return last === 'value' ? walletType(value) : null;
    default:
      return null;
  }
}

/**
 * The values a STIX pattern names with an equality test, in a type the hub knows. Comparisons the hub
 * cannot use (other operators, other properties) are left out; an empty result means "unsupported".
 */
export function valuesFromPattern(pattern: string): PatternValue[] {
  const out: PatternValue[] = [];
  for (const m of pattern.matchAll(COMPARISON)) {
    if (m[3] !== '=') continue;
    const value = m[4]!.replace(/\\(.)/g, '$1');
    const type = typeOf(m[1]!, m[2]!, value);
    if (type && !out.some((o) => o.type === type && o.value === value)) out.push({ type, value });
  }
  return out;
}
