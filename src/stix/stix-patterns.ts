// STIX patterns for the hub's indicator types, both ways. Types STIX has no observable for (phone
// numbers, bank accounts, crypto wallets) use the custom observables OpenCTI emits, so its exports and
// ours read the same: phone-number:value, bank-account:iban / account_number, cryptocurrency-wallet:value.
import {
  type IndicatorType,
  normalizeBtcWallet,
  normalizeEthWallet,
  normalizeTrxWallet,
} from '../domain/indicators/index.ts';
import {
  type Comparison,
  type ObjectPath,
  type Observation,
  PatternSyntaxError,
  parsePattern,
} from './stix-pattern-parser.ts';

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

const HASH_NAMES: Readonly<Record<string, IndicatorType>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  SHA1: 'sha1',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
};

function walletType(value: string): IndicatorType | null {
  if (normalizeBtcWallet(value).ok) return 'btc_wallet';
  if (normalizeEthWallet(value).ok) return 'eth_wallet';
  if (normalizeTrxWallet(value).ok) return 'trx_wallet';
  return null;
}

function typeOf(objectType: string, path: ObjectPath, value: string): IndicatorType | null {
  // Index steps ([0], [*]) do not change which property is named.
  const steps = path.steps.flatMap((s) => ('key' in s ? [s.key] : []));
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

const HASHES = new Set<IndicatorType>(['md5', 'sha1', 'sha256']);

function union(sets: (PatternValue[] | null)[]): PatternValue[] | null {
  const decided = sets.filter((s): s is PatternValue[] => s !== null);
  if (decided.length === 0) return null;
  const out: PatternValue[] = [];
  for (const v of decided.flat()) if (!out.some((o) => o.type === v.type && o.value === v.value)) out.push(v);
  return out;
}

/** The values that decide one comparison expression (one observed object), or null. */
function comparisonValues(c: Comparison): PatternValue[] | null {
  if (c.kind === 'exists') return null;
  if (c.kind === 'OR') return union(c.operands.map(comparisonValues));
  if (c.kind === 'AND') {
    // Several tests on one object: decided when the indexed ones name the same value, or hashes of one
    // file; the tests the hub cannot see in a check (file:name, dst_ref.type) only describe that object.
    const all = union(c.operands.map(comparisonValues));
    if (!all) return null;
    if (all.length === 1 || all.every((v) => HASHES.has(v.type))) return all;
    return null;
  }
  if (c.operator !== '=' || c.negated || Array.isArray(c.value) || c.value.kind !== 'string') return null;
  const value = c.value.value;
  const type = typeOf(c.path.objectType, c.path, value);
  return type ? [{ type, value }] : null;
}

type Decided = { values: PatternValue[]; window: { start: string; stop: string } | null };

/** What decides a whole observation expression on one observed value, or null if one value cannot. */
function decide(o: Observation): Decided | null {
  switch (o.kind) {
    case 'observation': {
      const values = comparisonValues(o.comparison);
      return values ? { values, window: null } : null;
    }
    case 'OR': {
      const branches = o.operands.map(decide).filter((b): b is Decided => b !== null);
      const windows = new Set(branches.map((b) => JSON.stringify(b.window)));
      if (branches.length === 0 || windows.size > 1) return null;
      return { values: union(branches.map((b) => b.values))!, window: branches[0]!.window };
    }
    case 'AND':
    case 'FOLLOWEDBY':
      return null;
    case 'qualified': {
      const inner = decide(o.expression);
      if (!inner) return null;
      const q = o.qualifier;
      if (q.kind === 'REPEATS') return q.times === 1 ? inner : null;
      if (q.kind === 'WITHIN') return inner;
      const start = inner.window && inner.window.start > q.start ? inner.window.start : q.start;
      const stop = inner.window && inner.window.stop < q.stop ? inner.window.stop : q.stop;
      return { values: inner.values, window: { start, stop } };
    }
  }
}

export type PatternReading = {
  /** The values that decide the pattern on their own: a checked value that is one of them matches. */
  values: PatternValue[];
  /**
   * "checkable": one observed value decides the pattern. "composite": it needs several observations
   * (AND or FOLLOWEDBY between observations, REPEATS): kept for export, not checked alone.
   * "unsupported": no comparison the hub indexes (other properties, operators or object types).
   */
  use: 'checkable' | 'composite' | 'unsupported';
  /** START … STOP: the pattern only holds for observations in this window (STIX timestamps). */
  window: { start: string; stop: string } | null;
};

function isComposite(o: Observation): boolean {
  if (o.kind === 'AND' || o.kind === 'FOLLOWEDBY') return true;
  if (o.kind === 'OR') return o.operands.some(isComposite);
  if (o.kind === 'qualified')
    return (o.qualifier.kind === 'REPEATS' && o.qualifier.times > 1) || isComposite(o.expression);
  return false;
}

/**
 * Reads a STIX pattern (throws PatternSyntaxError where the grammar does). Check semantics: a checked
 * value matches the pattern only when that one value decides it: an equality on a property the hub
 * indexes, alone or ORed with others; an AND inside one observation when its indexed tests name one
 * value (or hashes of one file); WITHIN, and REPEATS 1 TIMES, change nothing for one observation;
 * START … STOP limits the match to that window. Everything else is kept but not checked alone.
 */
export function readPattern(pattern: string): PatternReading {
  const tree = parsePattern(pattern);
  const decided = decide(tree);
  if (decided) return { values: decided.values, use: 'checkable', window: decided.window };
  return { values: [], use: isComposite(tree) ? 'composite' : 'unsupported', window: null };
}

/** The values that decide a pattern on their own; empty for a malformed, composite or unsupported one. */
export function valuesFromPattern(pattern: string): PatternValue[] {
  try {
    return readPattern(pattern).values;
  } catch (error) {
    if (error instanceof PatternSyntaxError) return [];
    throw error;
  }
}
