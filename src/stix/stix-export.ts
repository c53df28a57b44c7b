// Alerts as STIX 2.1: the publishing organisation as an identity, the alert as a report, each indicator
// as an indicator with its pattern, sightings as sightings and false positives as opinions, every
// object marked with the official TLP 2.0 marking definition. The caller passes only alerts (and
// feedback) the viewer may read: visibility is decided in src/hub/visibility.ts, never here.
import type { TlpLevel } from '../domain/tlp/index.ts';
import type { AlertView } from '../hub/hub-types.ts';
import { extensionsFor } from './stix-extensions.ts';
import { type StixObject, stixId, TLP2_MARKING_IDS, tlpMarkingDefinition } from './stix-ids.ts';
import { patternFor } from './stix-patterns.ts';

export type { StixObject } from './stix-ids.ts';
export type OrgInfo = { id: string; name: string; kind: string; country: string; createdAt: Date };

/** STIX timestamps carry milliseconds. */
const ts = (d: Date | string) => new Date(d).toISOString();

const SECTORS: Readonly<Record<string, string>> = {
  bank: 'financial-services',
  telecom: 'telecommunications',
  platform: 'technology',
  cert: 'government-national',
  law_enforcement: 'government-national',
  regulator: 'government-regulatory',
};

export function identityFor(org: OrgInfo): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId.identity(org.id),
    created: ts(org.createdAt),
    modified: ts(org.createdAt),
    name: org.name,
    identity_class: 'organization',
    sectors: [SECTORS[org.kind] ?? 'other'],
    contact_information: `country ${org.country}`,
  };
}

/** The STIX objects of one alert (no identities or markings: see alertsToStix). */
export function alertObjects(alert: AlertView): StixObject[] {
  const marking = [TLP2_MARKING_IDS[alert.tlp]];
  const author = stixId.identity(alert.publisherOrgId);
  const modified = ts(alert.updatedAt);
  const revoked = alert.status === 'revoked';
  const validFrom = new Date(alert.validFrom);
  // STIX wants valid_until after valid_from; an alert expired before it began ends a millisecond after.
  const validUntil = alert.validUntil
    ? new Date(Math.max(new Date(alert.validUntil).getTime(), validFrom.getTime() + 1))
    : null;
  const indicators: StixObject[] = alert.indicators.map((ind) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: stixId.indicator(ind.id),
    created_by_ref: author,
    created: ts(alert.createdAt),
    modified,
    name: `${ind.type}: ${ind.value}`,
    // Strict validators want a description on every indicator: the alert's, else its title.
    description: alert.description || alert.title,
    indicator_types: ['malicious-activity'],
    pattern: patternFor(ind.type, ind.value),
    pattern_type: 'stix',
    valid_from: ts(validFrom),
    ...(validUntil ? { valid_until: ts(validUntil) } : {}),
    confidence: alert.confidence,
    labels: [alert.kind],
    ...(revoked ? { revoked: true } : {}),
    object_marking_refs: marking,
  }));
  const report: StixObject = {
    type: 'report',
    spec_version: '2.1',
    id: stixId.report(alert.id),
    created_by_ref: author,
    created: ts(alert.createdAt),
    modified,
    name: alert.title,
    ...(alert.description ? { description: alert.description } : {}),
    report_types: ['indicator'],
    published: ts(alert.createdAt),
    object_refs: indicators.map((i) => i.id),
    confidence: alert.confidence,
    labels: [alert.kind],
    ...(revoked ? { revoked: true } : {}),
    object_marking_refs: marking,
  };
  const feedback: StixObject[] = alert.feedback.map((f) => {
    const target = f.indicatorId ? stixId.indicator(f.indicatorId) : report.id;
    const common = {
      spec_version: '2.1',
      created_by_ref: stixId.identity(f.orgId),
      created: ts(f.createdAt),
      modified: ts(f.createdAt),
      object_marking_refs: marking,
    };
    if (f.kind === 'sighting') {
      return {
        type: 'sighting',
        id: stixId.sighting(f.id),
        ...common,
        sighting_of_ref: target,
        where_sighted_refs: [stixId.identity(f.orgId)],
        first_seen: ts(f.observedAt),
        last_seen: ts(f.observedAt),
        count: f.count,
        ...(f.note ? { description: f.note } : {}),
      };
    }
    return {
      type: 'opinion',
      id: stixId.opinion(f.id),
      ...common,
      opinion: 'strongly-disagree',
      explanation: f.note || 'reported as a false positive',
      object_refs: [target],
    };
  });
  return [report, ...indicators, ...feedback];
}

/** Every object for these alerts, identities and TLP markings included, each once. */
export function alertsToStix(alerts: AlertView[], orgOf: (id: string) => OrgInfo | null): StixObject[] {
  const orgIds = new Set<string>();
  const levels = new Set<TlpLevel>();
  const body: StixObject[] = [];
  for (const alert of alerts) {
    orgIds.add(alert.publisherOrgId);
    for (const f of alert.feedback) orgIds.add(f.orgId);
    levels.add(alert.tlp);
    body.push(...alertObjects(alert));
  }
  const identities = [...orgIds]
    .map(orgOf)
    .filter((o): o is OrgInfo => o !== null)
    .map(identityFor);
  const markings = [...levels].map(tlpMarkingDefinition);
  return [...markings, ...identities, ...extensionsFor(body), ...body];
}

/** A bundle; STIX forbids empty lists, so an empty bundle has no `objects` at all. */
export function bundleOf(objects: StixObject[]) {
  return { type: 'bundle', id: stixId.bundle(), ...(objects.length ? { objects } : {}) };
}
