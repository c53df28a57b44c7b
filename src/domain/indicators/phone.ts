// Phone numbers to E.164. The "max" metadata checks number patterns per country, not only lengths,
// so a number that merely has the right length for its country is still refused.
import type { CountryCode } from 'libphonenumber-js/max';
import { lazyModule } from '../lazy-module.ts';
import { fail, type NormalizeResult, ok } from './types.ts';

// Loaded at the first phone number, not with the node: its metadata is some 90 modules, 0.5 MB, which
// every start paid for before it could answer.
const phoneLibrary = lazyModule<typeof import('libphonenumber-js/max')>(
  'libphonenumber-js/max',
  import.meta.url,
);

export function normalizePhone(raw: string, defaultCountry?: string): NormalizeResult {
  const text = raw.trim();
  if (text === '') return fail('phone number is empty');
  if (text.length > 64) return fail('phone number is too long');
  let country: CountryCode | undefined;
  if (defaultCountry !== undefined) {
    const upper = defaultCountry.toUpperCase();
    if (!phoneLibrary().isSupportedCountry(upper))
      return fail(`unknown country ${defaultCountry} for phone numbers`);
    country = upper;
  }
  // 00 is the international call prefix almost everywhere; read it as + so no country is needed.
  const dialled = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const international = dialled.startsWith('+');
  if (!international && country === undefined) {
    return fail('phone number needs a +country code or a default country');
  }
  const parsed = phoneLibrary().parsePhoneNumberFromString(
    dialled,
    country ? { defaultCountry: country } : undefined,
  );
  const where = parsed?.country ?? (international ? undefined : country);
  if (!parsed?.isValid()) {
    return fail(where ? `not a valid phone number for ${where}` : 'not a valid phone number');
  }
  return ok(parsed.number);
}
