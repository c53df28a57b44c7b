// The indicator types the hub accepts, and the result shape every normaliser returns.

export const INDICATOR_TYPES = [
  'phone',
  'iban',
  'bank_account',
  'url',
  'domain',
  'email',
  'ipv4',
  'ipv6',
  'cidr',
  'btc_wallet',
  'eth_wallet',
  'trx_wallet',
  'md5',
  'sha1',
  'sha256',
] as const;

export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export type NormalizeResult = { ok: true; value: string } | { ok: false; error: string };

export type NormalizeOptions = {
  /** ISO 3166-1 alpha-2 country used for national phone numbers and bank accounts given without one. */
  defaultCountry?: string;
};

const TYPE_SET: ReadonlySet<string> = new Set(INDICATOR_TYPES);

export function isIndicatorType(value: unknown): value is IndicatorType {
  return typeof value === 'string' && TYPE_SET.has(value);
}

export function ok(value: string): NormalizeResult {
  return { ok: true, value };
}

export function fail(error: string): NormalizeResult {
  return { ok: false, error };
}
