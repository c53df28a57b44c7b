// The shape checks of the two messages a peer sends ('alert' and 'alert_feedback'): a message that
// fails one is refused with a protocol error, and nothing of it is stored.
import { isIndicatorType, normalizeIndicator } from '../../domain/indicators/index.ts';
import { isTlpLevel } from '../../domain/tlp/index.ts';
import { PeerProtocolError } from '../../federation/federation-errors.ts';
import type { FieldProblem } from '../../shared/errors.ts';
import { HUB_ALERT_KINDS, HUB_ORG_KINDS, HUB_REPORT_KINDS } from '../../store/schema/index.ts';
import {
  ALERT_MESSAGE,
  type AlertMessage,
  FEEDBACK_MESSAGE,
  type FeedbackMessage,
  type OrgInfo,
} from './sharing-types.ts';

export const PARTY = /^[A-Z]{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_INDICATORS = 100_000;

const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export function parseAlertMessage(body: unknown): AlertMessage {
  const fail = (why: string): never => {
    throw new PeerProtocolError(`An '${ALERT_MESSAGE}' message ${why}.`);
  };
  const m = body as AlertMessage;
  if (!m || typeof m !== 'object') fail('carries an object');
  if (!['published', 'updated', 'revoked', 'withdrawn'].includes(m.event)) fail('names its event');
  if (typeof m.origin !== 'string' || !PARTY.test(m.origin)) fail('names its origin node');
  if (typeof m.groupId !== 'string' || !UUID.test(m.groupId)) fail('names its sharing group');
  if (!isOrgInfo(m.publisher)) fail('names its publisher { id, name, kind, country }');
  if (!isAlertBody(m.alert)) fail('carries a well-formed alert');
  if (!Array.isArray(m.indicators) || m.indicators.length > MAX_INDICATORS)
    fail(`carries at most ${MAX_INDICATORS} indicators`);
  if (m.event === 'withdrawn' && m.indicators.length > 0) fail('of a withdrawal carries no indicators');
  const problems: FieldProblem[] = [];
  m.indicators.forEach((ind, i) => {
    if (!ind || typeof ind.id !== 'string' || !UUID.test(ind.id) || typeof ind.value !== 'string') {
      problems.push({ field: `indicators/${i}`, message: 'needs an id, a type and a value' });
      return;
    }
    // Values travel in normal form; one that is not is refused, never stored as sent.
    const normal = isIndicatorType(ind.type) ? normalizeIndicator(ind.type, ind.value) : null;
    if (!normal?.ok || normal.value !== ind.value)
      problems.push({ field: `indicators/${i}`, message: `not a ${ind.type} in normal form` });
  });
  if (problems.length)
    throw new PeerProtocolError(`An '${ALERT_MESSAGE}' message holds bad indicators.`, {
      errors: problems.slice(0, 100),
    });
  return m;
}

function isAlertBody(a: AlertMessage['alert'] | undefined): boolean {
  return !(
    !a ||
    typeof a.id !== 'string' ||
    !UUID.test(a.id) ||
    !(HUB_ALERT_KINDS as readonly string[]).includes(a.kind) ||
    typeof a.title !== 'string' ||
    a.title.length > 300 ||
    typeof a.description !== 'string' ||
    a.description.length > 20_000 ||
    !Number.isInteger(a.confidence) ||
    a.confidence < 0 ||
    a.confidence > 100 ||
    !isTlpLevel(a.tlp) ||
    !isDate(a.validFrom) ||
    (a.validUntil !== null && !isDate(a.validUntil)) ||
    !['active', 'revoked'].includes(a.status) ||
    !Number.isInteger(a.version) ||
    a.version < 1 ||
    !isDate(a.createdAt) ||
    !isDate(a.updatedAt) ||
    (a.revokedAt !== null && !isDate(a.revokedAt))
  );
}

export function parseFeedbackMessage(body: unknown): FeedbackMessage {
  const m = body as FeedbackMessage;
  const r = m?.report;
  if (
    !m ||
    typeof m !== 'object' ||
    typeof m.origin !== 'string' ||
    !PARTY.test(m.origin) ||
    typeof m.reporterNode !== 'string' ||
    !PARTY.test(m.reporterNode) ||
    typeof m.groupId !== 'string' ||
    !UUID.test(m.groupId) ||
    typeof m.alertId !== 'string' ||
    !UUID.test(m.alertId) ||
    !isOrgInfo(m.reporter) ||
    !r ||
    typeof r.id !== 'string' ||
    !UUID.test(r.id) ||
    !(HUB_REPORT_KINDS as readonly string[]).includes(r.kind) ||
    (r.indicatorId !== null && (typeof r.indicatorId !== 'string' || !UUID.test(r.indicatorId))) ||
    !Number.isInteger(r.count) ||
    r.count < 1 ||
    r.count > 1_000_000_000 ||
    typeof r.note !== 'string' ||
    r.note.length > 2000 ||
    !isDate(r.observedAt) ||
    !isDate(r.createdAt)
  )
    throw new PeerProtocolError(`An '${FEEDBACK_MESSAGE}' message is not well formed.`);
  return m;
}

function isOrgInfo(o: unknown): o is OrgInfo {
  const p = o as OrgInfo;
  return (
    !!p &&
    typeof p.id === 'string' &&
    UUID.test(p.id) &&
    typeof p.name === 'string' &&
    p.name.trim() !== '' &&
    p.name.length <= 200 &&
    (HUB_ORG_KINDS as readonly string[]).includes(p.kind) &&
    typeof p.country === 'string' &&
    PARTY.test(p.country)
  );
}
