// Traffic Light Protocol 2.0 (FIRST): the levels and who may read an alert marked with one.

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

const RANK: Readonly<Record<TlpLevel, number>> = {
  CLEAR: 0,
  GREEN: 1,
  AMBER: 2,
  'AMBER+STRICT': 3,
  RED: 4,
};

export function isTlpLevel(value: unknown): value is TlpLevel {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * Reads a TLP label as written in feeds: case-insensitive, with or without the "TLP:" prefix.
 * TLP 1.0 WHITE (still common in MISP and older STIX) is read as CLEAR, its 2.0 successor.
 */
export function parseTlp(text: string): TlpLevel | null {
  const label = text
    .trim()
    .toUpperCase()
    .replace(/^TLP\s*:\s*/, '');
  if (label === 'WHITE') return 'CLEAR';
  return isTlpLevel(label) ? label : null;
}

/** Negative when a is less restrictive than b, 0 when equal, positive when stricter. */
export function compareTlp(a: TlpLevel, b: TlpLevel): number {
  return RANK[a] - RANK[b];
}

/** The stricter of two levels: what an object derived from both must carry. */
export function stricterTlp(a: TlpLevel, b: TlpLevel): TlpLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export type TlpReader = {
  /** The viewer's organisation; null or undefined for someone who is not a member of the hub. */
  viewerOrg?: string | null;
  /** The sharing groups the viewer's organisation belongs to. */
  viewerGroups?: readonly string[];
  viewerUser?: string | null;
  /** The publishing organisation. */
  alertOrg: string;
  /** The sharing group the alert was published to, if any. */
  alertGroup?: string | null;
  /** Organisations the publisher named explicitly. */
  recipientsOrgs?: readonly string[];
  /** Users the publisher named explicitly (RED is often person-to-person). */
  recipientsUsers?: readonly string[];
};

/**
 * Whether a viewer may read an alert marked `tlp`. The publishing organisation may always read its
 * own alerts, and anyone the publisher named explicitly may read at every level; beyond that:
 * CLEAR anyone, even outside the hub; GREEN any member organisation of the hub (the community);
 * AMBER members of the alert's sharing group; AMBER+STRICT and RED nobody else.
 */
export function mayRead(tlp: TlpLevel, reader: TlpReader): boolean {
  if (!isTlpLevel(tlp)) return false;
  if (tlp === 'CLEAR') return true;
  const org = reader.viewerOrg ?? null;
  if (org !== null && org === reader.alertOrg) return true;
  if (org !== null && reader.recipientsOrgs?.includes(org)) return true;
  const user = reader.viewerUser ?? null;
  if (user !== null && reader.recipientsUsers?.includes(user)) return true;
  switch (tlp) {
    case 'GREEN':
      return org !== null;
    case 'AMBER': {
      const group = reader.alertGroup ?? null;
      return org !== null && group !== null && (reader.viewerGroups ?? []).includes(group);
    }
    case 'AMBER+STRICT':
    case 'RED':
      return false;
  }
}

/**
 * Whether an alert at this level may travel to another node of its sharing group. CLEAR, GREEN and
 * AMBER do (AMBER only to the group's nodes, where only the group's members read it); AMBER+STRICT
 * and RED never leave the node: they are for the publisher and the organisations it named.
 */
export function mayLeaveNode(tlp: TlpLevel): boolean {
  return tlp === 'CLEAR' || tlp === 'GREEN' || tlp === 'AMBER';
}
