// Reads a STIX 2.1 bundle (ours, MISP's, OpenCTI's, or a TAXII envelope) into alerts to publish.
// All or nothing: malformed objects, unknown types, wrong TLP markings, unsupported patterns and values
// that do not normalise are all collected and reported together; nothing is returned half-read.
// `skipUnsupported` turns unsupported patterns and bad values into a list of skipped items instead.
import { isIndicatorType, normalizeIndicator } from '../domain/indicators/index.ts';
import { parseTlp, stricterTlp, type TlpLevel } from '../domain/tlp/index.ts';
import type { PublishInput, RawIndicator } from '../hub/alert-service.ts';
import type { AlertKind } from '../hub/hub-types.ts';
import { type FieldProblem, ValidationError } from '../shared/errors.ts';
import { HUB_ALERT_KINDS } from '../store/schema/hub.ts';
import {
  officialTlp,
  TLP1_MARKING_IDS,
  TLP2_EXTENSION_ID,
  TLP2_MARKING_IDS,
  tlp1Name,
  versionOf,
} from './stix-ids.ts';
import { PatternSyntaxError } from './stix-pattern-parser.ts';
import { type PatternReading, readPattern } from './stix-patterns.ts';

export const MAX_IMPORT_OBJECTS = 100_000;

// The STIX 2.1 objects that are not domain or relationship objects: observables and meta objects,
// which carry no created/modified/spec rules of SDOs.
const SCO_OR_MARKING = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
  'marking-definition',
  'language-content',
  'extension-definition',
]);

export const STIX_TYPES = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
  'relationship',
  'sighting',
  ...SCO_OR_MARKING,
]);

// Observables OpenCTI defines beside the STIX ones; they appear in its exports as objects and in patterns.
const OPENCTI_OBSERVABLES = new Set([
  'cryptocurrency-wallet',
  'phone-number',
  'bank-account',
  'hostname',
  'text',
  'user-agent',
  'payment-card',
  'media-content',
  'credential',
  'tracking-number',
  'persona',
]);

const ID = /^([a-z][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

/** A STIX timestamp that names a real instant: the shape, and a day and time that exist (no 31 February). */
export function isStixTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s <= 60
  );
}

export type ImportOptions = {
  kind: AlertKind;
  groupId: string;
  /** The least restrictive TLP the alerts may carry; markings in the bundle can only make it stricter. */
  tlp?: TlpLevel;
  /** Title for indicators that no report or grouping collects. */
  title?: string;
  skipUnsupported?: boolean;
  defaultCountry?: string;
  /** Versions the collection already holds (object-store.ts keys): a re-send changes nothing. */
  known?: ReadonlySet<string>;
};

export type Skipped = { object: string; reason: string };
/** An object to keep as sent, its TLP, and the alert (index into `alerts`) its values were indexed in. */
export type KeptPlan = { object: Obj; tlp: TlpLevel; alertIndex: number | null };
export type ImportPlan = {
  alerts: PublishInput[];
  skipped: Skipped[];
  /** Objects read. */
  objects: number;
  kept: KeptPlan[];
  /** Versions the collection already held (a re-send): neither kept again nor alerted again. */
  unchanged: number;
  /** Objects not kept, by type: the fixed TLP marking definitions (their ids say all). */
  ignoredTypes: Record<string, number>;
};

type Obj = Record<string, unknown> & { type: string; id: string };
const versionKey = (o: Obj) => `${o.id}\u0000${versionOf(o)}`;

/** The objects of a bundle, a TAXII envelope, or a JSON array of objects. */
function objectsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (typeof doc !== 'object' || doc === null)
    throw new ValidationError([{ field: 'body', message: 'a STIX bundle (a JSON object) was expected' }]);
  const d = doc as Record<string, unknown>;
  if (d.type === 'bundle') {
    if (typeof d.id !== 'string' || !d.id.startsWith('bundle--') || !ID.test(d.id))
      throw new ValidationError([{ field: 'id', message: 'a bundle needs an id bundle--<UUID>' }]);
    if (d.spec_version === '2.0')
      throw new ValidationError([{ field: 'spec_version', message: 'this is STIX 2.0; send STIX 2.1' }]);
  } else if (!('objects' in d)) {
    throw new ValidationError([
      { field: 'type', message: 'expected "bundle" (or a TAXII envelope with objects)' },
    ]);
  }
  if (!Array.isArray(d.objects) || d.objects.length === 0)
    throw new ValidationError([{ field: 'objects', message: 'must be a non-empty list of STIX objects' }]);
  return d.objects;
}

/** The TLP level a marking definition stands for, null if it is not TLP; problems if it claims TLP wrongly. */
function markingLevel(o: Obj, field: string, problems: FieldProblem[]): TlpLevel | null {
  const official = officialTlp(o.id);
  const definitionType = typeof o.definition_type === 'string' ? o.definition_type : null;
  const definition = (o.definition ?? {}) as Record<string, unknown>;
  const extension = ((o.extensions ?? {}) as Record<string, Record<string, unknown>>)[TLP2_EXTENSION_ID];
  const openctiTlp =
    o.x_opencti_definition_type === 'TLP' ? String(o.x_opencti_definition ?? o.name ?? '') : null;
  const claimed: { source: string; level: TlpLevel | null }[] = [];
  const claim = (source: string, text: unknown) => claimed.push({ source, level: parseTlp(String(text)) });
  if (definitionType?.toLowerCase() === 'tlp') claim('definition', definition.tlp ?? definition.TLP ?? '');
  if (extension) claim('extensions.tlp_2_0', extension.tlp_2_0 ?? '');
  if (openctiTlp !== null) claim('x_opencti_definition', openctiTlp);
  if (typeof o.name === 'string' && /^\s*tlp\s*:/i.test(o.name)) claim('name', o.name);
  if (official === null && claimed.length === 0) return null;
  for (const c of claimed) {
    if (c.level === null) problems.push({ field, message: `${o.id}: ${c.source} names no TLP level` });
  }
  if (official !== null) {
    // The official objects must say what their id stands for: TLP 1.0 ids name 1.0 levels (white → CLEAR).
    const isV1 = o.id in TLP1_MARKING_IDS;
    for (const c of claimed) {
      if (c.level !== null && c.level !== official)
        problems.push({
          field,
          message: `${o.id} is TLP:${official} but its ${c.source} says TLP:${c.level}`,
        });
    }
    if (isV1 && definitionType === 'tlp' && definition.tlp !== tlp1Name(official))
      problems.push({ field, message: `${o.id}: definition.tlp must be "${tlp1Name(official)}"` });
    return official;
  }
  // STIX allows no TLP marking-definition but the official ones (definition_type "tlp" or the 2.0 extension).
  if (definitionType === 'tlp' || extension) {
    problems.push({
      field,
      message: `${o.id} is not an official TLP marking definition; use ${Object.values(TLP2_MARKING_IDS)[2]} and the others of TLP 2.0`,
    });
    return null;
  }
  const levels = claimed.map((c) => c.level).filter((l): l is TlpLevel => l !== null);
  return levels.length ? levels.reduce(stricterTlp) : null;
}

function checkObject(o: unknown, i: number, problems: FieldProblem[]): o is Obj {
  const field = `objects/${i}`;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    problems.push({ field, message: 'is not a JSON object' });
    return false;
  }
  const obj = o as Record<string, unknown>;
  if (typeof obj.type !== 'string' || !/^[a-z][a-z0-9-]{1,248}[a-z0-9]$/.test(obj.type)) {
    problems.push({ field: `${field}/type`, message: 'is missing or not a STIX type name' });
    return false;
  }
  const type = obj.type;
  if (!STIX_TYPES.has(type) && !type.startsWith('x-') && !OPENCTI_OBSERVABLES.has(type)) {
    problems.push({
      field: `${field}/type`,
      message: `unknown STIX type "${type}" (custom types start with x-)`,
    });
    return false;
  }
  const match = typeof obj.id === 'string' ? ID.exec(obj.id) : null;
  if (!match || match[1] !== type) {
    problems.push({ field: `${field}/id`, message: `must be ${type}--<UUID>` });
    return false;
  }
  if (obj.spec_version !== undefined && obj.spec_version !== '2.1') {
    problems.push({
      field: `${field}/spec_version`,
      message: `is "${String(obj.spec_version)}"; send STIX 2.1`,
    });
  }
  const sdoLike = !SCO_OR_MARKING.has(type) && !OPENCTI_OBSERVABLES.has(type);
  if (sdoLike || type === 'marking-definition') {
    if (obj.spec_version === undefined && sdoLike)
      problems.push({ field: `${field}/spec_version`, message: 'is required (2.1)' });
    for (const key of sdoLike ? ['created', 'modified'] : ['created']) {
      if (!isStixTimestamp(obj[key]))
        problems.push({
          field: `${field}/${key}`,
          message: 'must be a UTC timestamp like 2026-01-31T12:00:00.000Z',
        });
    }
  }
  if (type === 'indicator') {
    for (const key of ['pattern', 'pattern_type', 'valid_from'])
      if (typeof obj[key] !== 'string') problems.push({ field: `${field}/${key}`, message: 'is required' });
    for (const key of ['valid_from', 'valid_until'])
      if (
        obj[key] !== undefined &&
        (key === 'valid_until' || typeof obj[key] === 'string') &&
        !isStixTimestamp(obj[key])
      )
        problems.push({
          field: `${field}/${key}`,
          message: `"${String(obj[key]).slice(0, 60)}" is not a UTC timestamp like 2026-01-31T12:00:00.000Z`,
        });
  }
  if (
    isStixTimestamp(obj.created) &&
    isStixTimestamp(obj.modified) &&
    Date.parse(obj.modified) < Date.parse(obj.created)
  )
    problems.push({ field: `${field}/modified`, message: 'is earlier than created' });
  if (
    type === 'indicator' &&
    isStixTimestamp(obj.valid_from) &&
    isStixTimestamp(obj.valid_until) &&
    Date.parse(obj.valid_until) <= Date.parse(obj.valid_from)
  )
    problems.push({ field: `${field}/valid_until`, message: 'must be later than valid_from' });
  if (
    obj.confidence !== undefined &&
    !(
      Number.isInteger(obj.confidence) &&
      (obj.confidence as number) >= 0 &&
      (obj.confidence as number) <= 100
    )
  )
    problems.push({ field: `${field}/confidence`, message: 'must be an integer from 0 to 100' });
  if (obj.object_marking_refs !== undefined && !Array.isArray(obj.object_marking_refs))
    problems.push({ field: `${field}/object_marking_refs`, message: 'must be a list of marking ids' });
  return true;
}

const laterOf = (a: Obj, b: Obj) => (String(b.modified ?? '') > String(a.modified ?? '') ? b : a);

export function planImport(doc: unknown, options: ImportOptions): ImportPlan {
  const raw = objectsOf(doc);
  if (raw.length > MAX_IMPORT_OBJECTS)
    throw new ValidationError([
      { field: 'objects', message: `at most ${MAX_IMPORT_OBJECTS} objects per import` },
    ]);
  const problems: FieldProblem[] = [];
  const byId = new Map<string, Obj>();
  const position = new Map<string, number>();
  const versions = new Map<string, Obj>();
  raw.forEach((o, i) => {
    if (!checkObject(o, i, problems)) return;
    if (!versions.has(versionKey(o))) versions.set(versionKey(o), o);
    const prior = byId.get(o.id);
    byId.set(o.id, prior ? laterOf(prior, o) : o);
    if (!position.has(o.id)) position.set(o.id, i);
  });
  const markingLevels = new Map<string, TlpLevel>();
  for (const o of byId.values()) {
    if (o.type !== 'marking-definition') continue;
    const level = markingLevel(o, `objects/${position.get(o.id)}`, problems);
    if (level) markingLevels.set(o.id, level);
  }
  const tlpOf = (o: Obj): TlpLevel | null => {
    let level: TlpLevel | null = null;
    for (const ref of (o.object_marking_refs as unknown[] | undefined) ?? []) {
      const found = typeof ref === 'string' ? (markingLevels.get(ref) ?? officialTlp(ref)) : null;
      if (found) level = level ? stricterTlp(level, found) : found;
    }
    return level;
  };

  const skipped: Skipped[] = [];
  const known = options.known ?? new Set<string>();
  const indicators = readIndicators(byId, position, options, problems, skipped);
  // Every problem is reported before any date is built from what was read (a bad date would throw).
  if (problems.length) throw new ValidationError(problems.slice(0, 200));
  // A version the collection already holds is not indexed again: a re-send makes no new alert.
  for (const [id, read] of indicators) if (known.has(versionKey(read.obj))) indicators.delete(id);
  const { alerts, alertOf } = buildAlerts(byId, indicators, tlpOf, options);
  const kept: KeptPlan[] = [];
  const ignoredTypes: Record<string, number> = {};
  let unchanged = 0;
  for (const o of versions.values()) {
    if (o.type === 'marking-definition' && markingLevels.has(o.id)) {
      ignoredTypes[o.type] = (ignoredTypes[o.type] ?? 0) + 1;
    } else if (known.has(versionKey(o))) {
      unchanged++;
    } else {
      const alertIndex = byId.get(o.id) === o ? (alertOf.get(o.id) ?? null) : null;
      const own = tlpOf(o) ?? options.tlp ?? 'AMBER';
      const tlp =
        alertIndex !== null ? alerts[alertIndex]!.tlp : options.tlp ? stricterTlp(own, options.tlp) : own;
      kept.push({ object: o, tlp, alertIndex });
    }
  }
  return { alerts, skipped, objects: raw.length, kept, unchanged, ignoredTypes };
}

/** One indicator as the hub checks it: its values, and its own validity and confidence. */
type Read = { values: RawIndicator[]; obj: Obj; validFrom: number; validUntil: number | null };

function readIndicators(
  byId: Map<string, Obj>,
  position: Map<string, number>,
  options: ImportOptions,
  problems: FieldProblem[],
  skipped: Skipped[],
): Map<string, Read> {
  const indicators = new Map<string, Read>();
  for (const o of byId.values()) {
    if (o.type !== 'indicator' || o.revoked === true) continue;
    const field = `objects/${position.get(o.id)}/pattern`;
    const reject = (reason: string) => {
      if (options.skipUnsupported) skipped.push({ object: o.id, reason });
      else problems.push({ field, message: `${o.id}: ${reason}` });
    };
    if (o.pattern_type !== 'stix') {
      reject(`pattern_type "${String(o.pattern_type)}" is not supported (only stix)`);
      continue;
    }
    let reading: PatternReading;
    try {
      reading = readPattern(String(o.pattern));
    } catch (error) {
      if (!(error instanceof PatternSyntaxError)) throw error;
      problems.push({ field, message: `${o.id}: not a STIX pattern: ${error.message}` });
      continue;
    }
    if (reading.use === 'composite') {
      skipped.push({ object: o.id, reason: COMPOSITE_REASON });
      continue;
    }
    if (reading.use === 'unsupported') {
      reject(`no value of a type the hub knows in ${String(o.pattern).slice(0, 200)}`);
      continue;
    }
    const values: RawIndicator[] = [];
    for (const v of reading.values) {
      const n = isIndicatorType(v.type) ? normalizeIndicator(v.type, v.value, options) : null;
      if (n?.ok) values.push({ type: v.type, value: n.value });
      else reject(`${v.type} "${v.value.slice(0, 200)}": ${n?.error ?? 'unknown type'}`);
    }
    if (!values.length || !isStixTimestamp(o.valid_from)) continue;
    // START … STOP narrows when the pattern holds: the hub checks it only inside both.
    let validFrom = Date.parse(o.valid_from);
    let validUntil = isStixTimestamp(o.valid_until) ? Date.parse(o.valid_until) : null;
    if (reading.window) {
      validFrom = Math.max(validFrom, Date.parse(reading.window.start));
      const stop = Date.parse(reading.window.stop);
      validUntil = validUntil === null ? stop : Math.min(validUntil, stop);
    }
    if (validUntil !== null && validUntil <= validFrom) {
      skipped.push({
        object: o.id,
        reason: 'its START … STOP window lies outside its validity: it never matches',
      });
      continue;
    }
    indicators.set(o.id, { values, obj: o, validFrom, validUntil });
  }
  return indicators;
}

export const COMPOSITE_REASON =
  'a composite pattern (several observations): kept as sent, not checked on one value alone';

/**
 * Reports and groupings (MISP exports events as groupings) become alerts with the indicators they name;
 * indicators no container names form one more. Indicators of one container that differ in validity or
 * confidence go to separate alerts, so each keeps its own in checks.
 */
function buildAlerts(
  byId: Map<string, Obj>,
  indicators: Map<string, Read>,
  tlpOf: (o: Obj) => TlpLevel | null,
  options: ImportOptions,
): { alerts: PublishInput[]; alertOf: Map<string, number> } {
  const alerts: PublishInput[] = [];
  const alertOf = new Map<string, number>();
  const used = new Set<string>();
  const makeAlerts = (title: string, description: string, container: Obj | null, members: Read[]) => {
    let tlp: TlpLevel | null = options.tlp ?? null;
    for (const m of [...(container ? [container] : []), ...members.map((x) => x.obj)]) {
      const level = tlpOf(m);
      if (level) tlp = tlp ? stricterTlp(tlp, level) : level;
    }
    // Our own exports label reports and indicators with the alert kind; anything else takes the default.
    const labels = [container, ...members.map((m) => m.obj)].flatMap((o) =>
      Array.isArray(o?.labels) ? o.labels : [],
    );
    const kind = (HUB_ALERT_KINDS as readonly unknown[]).find((k) => labels.includes(k)) as
      | AlertKind
      | undefined;
    const parts = new Map<string, { read: Read[]; confidence: number }>();
    for (const m of members) {
      const confidence = Number(m.obj.confidence ?? container?.confidence ?? 50);
      const key = `${m.validFrom}/${m.validUntil}/${confidence}`;
      const part = parts.get(key) ?? { read: [], confidence };
      part.read.push(m);
      parts.set(key, part);
    }
    for (const { read, confidence } of parts.values()) {
      for (const m of read) alertOf.set(m.obj.id, alerts.length);
      alerts.push({
        kind: kind ?? options.kind,
        title: title.slice(0, 300) || 'Imported indicators',
        description: description.slice(0, 20000),
        confidence,
        // No marking and no minimum given: AMBER, so nothing spreads further than the hub's default.
        tlp: tlp ?? 'AMBER',
        groupId: options.groupId,
        validFrom: new Date(read[0]!.validFrom).toISOString(),
        validUntil: read[0]!.validUntil === null ? null : new Date(read[0]!.validUntil).toISOString(),
        indicators: read.flatMap((m) => m.values),
        ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
      });
    }
  };
  for (const o of byId.values()) {
    if ((o.type !== 'report' && o.type !== 'grouping') || o.revoked === true) continue;
    const refs = Array.isArray(o.object_refs) ? (o.object_refs as string[]) : [];
    const members = refs.map((r) => indicators.get(r)).filter((m): m is Read => m !== undefined);
    for (const m of members) used.add(m.obj.id);
    if (members.length === 0) continue;
    makeAlerts(String(o.name ?? ''), String(o.description ?? ''), o, members);
  }
  const loose = [...indicators.values()].filter((m) => !used.has(m.obj.id));
  if (loose.length) {
    const one = loose.length === 1 ? loose[0]!.obj : null;
    makeAlerts(
      options.title ?? String(one?.name ?? 'Imported indicators'),
      String(one?.description ?? ''),
      null,
      loose,
    );
  }
  return { alerts, alertOf };
}
