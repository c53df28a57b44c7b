// What the node answers about a request's evidence (GET /api/v1/requests/:id/evidence).
export type EvidenceItem = {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  description: string;
  source: string;
  personalData: string[];
  acquiredAt: string;
  acquiredBy: string;
  deleted: boolean;
  packages: string[];
  /** Set on an exercise request's evidence (shown as EXERCISE). */
  exerciseId: string | null;
};

export type EvidencePackage = {
  id: string;
  status: 'sealed' | 'approved' | 'sending' | 'sent' | 'receiving' | 'received' | 'verified' | 'deleted';
  merkleRoot: string;
  supersedes: string | null;
  sealedBy: string;
  sealedAt: string;
  approvedBy: string | null;
  retentionUntil: string | null;
  originState: string;
  recipientState: string;
  /** Set on an exercise request's package (shown as EXERCISE). */
  exerciseId: string | null;
  /** Received onward: the State that passed it on (the manifest is still the origin's). */
  onwardFrom: string | null;
};

export type OpenUpload = { id: string; length: number; fileName: string; createdAt: string };

export type EvidenceList = { items: EvidenceItem[]; packages: EvidencePackage[]; openUploads: OpenUpload[] };

export type CustodyEvent = {
  seq: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  details: Record<string, unknown>;
};

export type CustodyReport = { node: string; events: CustodyEvent[] };

/** Bytes in the reader's language and unit ("4.2 MB", "4,2 Mo"). */
export function sizeWords(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}
