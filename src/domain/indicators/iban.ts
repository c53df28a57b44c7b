// IBAN (ISO 13616): uppercase without spaces, the length registered for the country, mod-97 check = 1.
import { fail, type NormalizeResult, ok } from './types.ts';

/** Lengths from the SWIFT IBAN registry. */
// biome-ignore format: a packed table reads better than one country per line
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** The ISO 7064 mod-97-10 remainder of an IBAN moved into check position (country and check digits last). */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    // Letters count as two digits (A = 10 … Z = 35).
    const n = code >= 65 ? code - 55 : code - 48;
    remainder = n >= 10 ? (remainder * 100 + n) % 97 : (remainder * 10 + n) % 97;
  }
  return remainder;
}

export function normalizeIban(raw: string): NormalizeResult {
  // Printed IBANs come in groups of four and are often copied with the "IBAN" label.
  const compact = raw
    .replace(/[\s\u00a0-]+/g, '')
    .toUpperCase()
    .replace(/^IBAN:?/, '');
  if (compact === '') return fail('IBAN is empty');
  if (!/^[A-Z0-9]+$/.test(compact)) return fail('IBAN may hold only letters and digits');
  if (!/^[A-Z]{2}[0-9]{2}/.test(compact))
    return fail('IBAN must start with a country code and two check digits');
  const country = compact.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return fail(`IBAN country ${country} does not use IBANs`);
  if (compact.length !== length) {
    return fail(`IBAN for ${country} must have ${length} characters, not ${compact.length}`);
  }
  if (ibanMod97(compact) !== 1) return fail('IBAN checksum fails');
  return ok(compact);
}
