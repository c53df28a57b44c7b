// Identifiers are compared by keyed hash (duplicate warning), so the same number written two ways
// must hash the same: normalise before hashing.
import type { IdentifierKind } from './vocabulary.ts';

/** A canonical text form of an identifier of the given kind. */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'PHONE_NUMBER': {
      const digits = v.replace(/[^\d+]/g, '');
      return digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
    }
    case 'BANK_ACCOUNT':
      return v.replace(/[\s-]/g, '').toUpperCase();
    case 'EMAIL':
    case 'DOMAIN':
    case 'IP_ADDRESS':
      return v.toLowerCase().replace(/\.$/, '');
    case 'CRYPTO_WALLET':
      // Some address formats are case-sensitive (base58): keep the case.
      return v;
    default:
      return v.replace(/\s+/g, ' ');
  }
}
