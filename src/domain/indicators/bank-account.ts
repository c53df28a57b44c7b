// Domestic bank account numbers (no IBAN): canonical form "CC:ACCOUNT".
// Rules: CC is an ISO 3166-1 alpha-2 code, taken from a "CC:" prefix or the default country;
// spaces, hyphens, dots and slashes are separators and are dropped; what remains must be 4 to 34
// letters or digits (34 is the IBAN BBAN ceiling), letters uppercased; leading zeros are kept
// because banks treat them as part of the number.
import { isIso3166Alpha2 } from '../directory/index.ts';
import { fail, type NormalizeResult, ok } from './types.ts';

export function normalizeBankAccount(raw: string, defaultCountry?: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('bank account is empty');
  const prefixed = /^([A-Za-z]{2})\s*:\s*(.*)$/s.exec(text);
  const country = (prefixed ? prefixed[1]! : (defaultCountry ?? '')).toUpperCase();
  const account = prefixed ? prefixed[2]! : text;
  if (country === '') return fail('bank account needs a country, as CC:account or a default country');
  if (!isIso3166Alpha2(country)) return fail(`unknown country ${country} for bank account`);
  const compact = account.replace(/[\s\u00a0./-]+/g, '').toUpperCase();
  if (!/^[A-Z0-9]*$/.test(compact)) return fail('bank account may hold only letters, digits and separators');
  if (compact.length < 4 || compact.length > 34) {
    return fail('bank account must have 4 to 34 letters or digits');
  }
  return ok(`${country}:${compact}`);
}
