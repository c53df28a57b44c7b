// The manifest of an evidence package: what the executing node signs (JWS) when it seals a package.
// The package's Merkle root is the RFC 9162 root over the items' chunk roots, each of which is the root
// over that item's 1 MiB chunks: a single chunk checks alone with two short audit paths. Pure; the
// root itself is computed in src/evidence/package-manifest.ts (hashing stays out of the domain).
import type { EvidenceMetadata } from './evidence-rules.ts';

export const MANIFEST_TYPE = 'hanoi247-evidence-manifest';

/** An item as the manifest lists it: what the executing State states about it, and its digests. */
export type ManifestItem = EvidenceMetadata & {
  id: string;
  sha256: string;
  size: number;
  chunkCount: number;
  chunkRoot: string;
};

export type ConditionsOfUse = {
  /** Speciality: the evidence serves only the proceedings named in the request (art. 40). */
  speciality: true;
  /** Onward transfer to a third State or organisation only with the sender's prior consent (art. 36). */
  onwardTransfer: 'PROHIBITED_WITHOUT_CONSENT';
  other: string[];
};

export type EvidenceManifest = {
  typ: typeof MANIFEST_TYPE;
  version: 1;
  packageId: string;
  supersedes: string | null;
  originState: string;
  recipientState: string;
  requestId: string;
  requestType: string;
  caseReference: string;
  legalBasis: { basis: string; treatyRef: string | null };
  conditions: ConditionsOfUse;
  retentionUntil: string | null;
  sealedAt: string;
  chunkSize: number;
  merkle: { alg: 'RFC9162-SHA-256'; root: string };
  items: ManifestItem[];
  /** Only on a package of a joint exercise's request (issue #18): the exercise it belongs to. */
  exerciseId?: string;
};
