// One entry point per value, and a batch form where a bad value only fails its own item.
import { normalizeBankAccount } from './bank-account.ts';
import { normalizeDomain } from './domain.ts';
import { normalizeEmail } from './email.ts';
import { normalizeFileHash } from './file-hashes.ts';
import { normalizeIban } from './iban.ts';
import { normalizeCidr, normalizeIpv4, normalizeIpv6 } from './ip.ts';
import { normalizePhone } from './phone.ts';
import {
  fail,
  INDICATOR_TYPES,
  type IndicatorType,
  isIndicatorType,
  type NormalizeOptions,
  type NormalizeResult,
} from './types.ts';
import { normalizeUrl } from './url.ts';
import { normalizeBtcWallet, normalizeEthWallet, normalizeTrxWallet } from './wallets.ts';

/** Longer input than this is refused before any parsing, whatever the type. */
export const MAX_RAW_LENGTH = 8192;

export function normalizeIndicator(
  type: IndicatorType,
  raw: string,
  options: NormalizeOptions = {},
): NormalizeResult {
  // Callers pass API input through here, so the declared types are checked at run time too.
  if (!isIndicatorType(type)) return fail(`unknown indicator type; use one of ${INDICATOR_TYPES.join(', ')}`);
  if (typeof raw !== 'string') return fail('value must be a string');
  if (raw.length > MAX_RAW_LENGTH) return fail(`value is longer than ${MAX_RAW_LENGTH} characters`);
  switch (type) {
    case 'phone':
      return normalizePhone(raw, options.defaultCountry);
    case 'iban':
      return normalizeIban(raw);
    case 'bank_account':
      return normalizeBankAccount(raw, options.defaultCountry);
    case 'url':
      return normalizeUrl(raw);
    case 'domain':
      return normalizeDomain(raw);
    case 'email':
      return normalizeEmail(raw);
    case 'ipv4':
      return normalizeIpv4(raw);
    case 'ipv6':
      return normalizeIpv6(raw);
    case 'cidr':
      return normalizeCidr(raw);
    case 'btc_wallet':
      return normalizeBtcWallet(raw);
    case 'eth_wallet':
      return normalizeEthWallet(raw);
    case 'trx_wallet':
      return normalizeTrxWallet(raw);
    case 'md5':
    case 'sha1':
    case 'sha256':
      return normalizeFileHash(type, raw);
  }
}

export type BatchItem = { type: string; value: string };

export type BatchResult =
  | { index: number; type: IndicatorType; raw: string; ok: true; value: string }
  | { index: number; type: string; raw: string; ok: false; error: string };

/** Normalises every item on its own; the results keep the input order and index. */
export function normalizeBatch(items: readonly BatchItem[], options: NormalizeOptions = {}): BatchResult[] {
  return items.map((item, index) => {
    const type = item?.type;
    const raw = item?.value;
    if (!isIndicatorType(type)) {
      return {
        index,
        type: String(type),
        raw: String(raw),
        ok: false,
        // Echo at most 40 characters of what was sent: enough to recognise it, not a reflection channel.
        error: `unknown indicator type "${String(type).slice(0, 40)}"`,
      };
    }
    const result = normalizeIndicator(type, raw, options);
    return result.ok
      ? { index, type, raw, ok: true, value: result.value }
      : { index, type, raw: String(raw), ok: false, error: result.error };
  });
}
