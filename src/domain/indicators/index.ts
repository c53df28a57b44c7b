// Public API of the indicators domain: the types the hub knows and their canonical normalisation.

export { normalizeBankAccount } from './bank-account.ts';
export { base58CheckDecode, base58CheckEncode, base58Decode, base58Encode } from './base58.ts';
export { bech32Decode, decodeSegwitAddress } from './bech32.ts';
export { normalizeDomain, registrableDomain } from './domain.ts';
export { normalizeEmail } from './email.ts';
export { HASH_HEX_LENGTHS, normalizeFileHash } from './file-hashes.ts';
export { IBAN_LENGTHS, ibanMod97, normalizeIban } from './iban.ts';
export {
  formatIpv4,
  formatIpv6,
  normalizeCidr,
  normalizeIpv4,
  normalizeIpv6,
  parseIpv4,
  parseIpv6,
} from './ip.ts';
export {
  type BatchItem,
  type BatchResult,
  MAX_RAW_LENGTH,
  normalizeBatch,
  normalizeIndicator,
} from './normalize.ts';
export { normalizePhone } from './phone.ts';
export {
  INDICATOR_TYPES,
  type IndicatorType,
  isIndicatorType,
  type NormalizeOptions,
  type NormalizeResult,
} from './types.ts';
export { normalizeUrl } from './url.ts';
export { eip55Checksum, normalizeBtcWallet, normalizeEthWallet, normalizeTrxWallet } from './wallets.ts';
