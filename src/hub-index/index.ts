// Public API of the hub's in-memory index.
export { DigestTable } from './digest-table.ts';
export { hash96, seedFromBytes } from './hash96.ts';
export {
  HubIndex,
  type HubIndexOptions,
  type HubIndexStats,
  type IndexEntry,
} from './hub-index.ts';
export { createPackedLookupIndex, type PackedLookupIndex } from './packed-lookup-index.ts';
export { digestsEqual, PRIVACY_DIGEST_BYTES, parsePrivacyDigest, privacyDigest } from './privacy.ts';
