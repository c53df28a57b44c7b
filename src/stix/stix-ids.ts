// STIX identifiers and the fixed TLP marking definitions. STIX wants UUID v4 for the objects a producer
// makes (v5 only for observables); the hub's own ids are v7, so every STIX id is a v4 UUID whose 122
// free bits come from SHA-256 over a fixed namespace and the hub id: as unguessable as random ones to
// anyone without the hub id, and the same in every export, so clients can deduplicate versions.
import { createHash, randomUUID } from 'node:crypto';
import type { TlpLevel } from '../domain/tlp/index.ts';

/** Any STIX object: its type and id, and whatever else its type holds. */
export type StixObject = { type: string; id: string; [property: string]: unknown };

// A fixed namespace for this software's STIX ids (a random v4 chosen once).
const NAMESPACE = '5d7f1b0e-3c4a-4e0b-9a41-6b2f8a7c2e91';

/** A UUID v4 whose random bits are derived from the name: stable for one name. */
export function derivedUuid4(name: string, namespace: string = NAMESPACE): string {
  const bytes = createHash('sha256').update(namespace).update('\u0000').update(name, 'utf8').digest();
  bytes[6] = 0x40 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const stixId = {
  identity: (orgId: string) => `identity--${derivedUuid4(`org:${orgId}`)}`,
  report: (alertId: string) => `report--${derivedUuid4(`alert:${alertId}`)}`,
  indicator: (indicatorId: string) => `indicator--${derivedUuid4(`indicator:${indicatorId}`)}`,
  sighting: (reportId: string) => `sighting--${derivedUuid4(`report:${reportId}`)}`,
  opinion: (reportId: string) => `opinion--${derivedUuid4(`report:${reportId}`)}`,
  bundle: () => `bundle--${randomUUID()}`,
};

/** The TLP 2.0 property extension published by the OASIS CTI TC (cti-stix-common-objects). */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The official TLP 2.0 marking-definition ids. */
export const TLP2_MARKING_IDS: Readonly<Record<TlpLevel, string>> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The STIX 2.1 fixed TLP 1.0 marking definitions (§7.2.1.4); WHITE reads as CLEAR. */
export const TLP1_MARKING_IDS: Readonly<Record<string, TlpLevel>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

const TLP1_NAMES: Readonly<Record<string, string>> = {
  CLEAR: 'white',
  GREEN: 'green',
  AMBER: 'amber',
  RED: 'red',
};

/** The level an official TLP marking id stands for (TLP 2.0 or 1.0), or null. */
export function officialTlp(id: string): TlpLevel | null {
  for (const [level, markingId] of Object.entries(TLP2_MARKING_IDS))
    if (markingId === id) return level as TlpLevel;
  return TLP1_MARKING_IDS[id] ?? null;
}

export function tlp1Name(level: TlpLevel): string | null {
  return TLP1_NAMES[level] ?? null;
}

/** The TLP 2.0 marking-definition object, exactly as the CTI TC publishes it. */
export function tlpMarkingDefinition(level: TlpLevel) {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level}`,
    extensions: {
      [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level.toLowerCase() },
    },
  };
}

/** The version of an object: its modified time, else created, else "" (observables have neither). */
export function versionOf(o: Record<string, unknown>): string {
  return typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : '';
}
