// The signed header of a federation message and the rules a receiver checks before it applies one:
// it is for us, it is fresh (not expired, not from the future beyond the clock-skew window) and
// its lifetime is bounded, so the list of seen message ids only needs keeping for that long.
import { EXERCISE_WIRE_PREFIX, isExerciseMessage } from './protocol.ts';

export type MessageHeader = {
  /** UUIDv7, unique per message; the inbox is idempotent on it. */
  id: string;
  /** Party codes of the sending and the receiving node. */
  from: string;
  to: string;
  created: string;
  expires: string;
  type: string;
  /** The request the message belongs to (the same id on both nodes), when there is one. */
  requestId: string | null;
  /** The message this one answers. */
  inReplyTo: string | null;
  /** Position among the messages of one request from one sender, from 1. */
  seq: number | null;
  /**
   * The joint exercise the message belongs to (issue #18); absent for real traffic, so real headers
   * are exactly what they were. A node that has not joined the exercise refuses the message.
   */
  exerciseId?: string | null;
};

export type FreshnessRules = { skewMs: number; maxLifetimeMs: number };

export const DEFAULT_FRESHNESS: FreshnessRules = { skewMs: 5 * 60_000, maxLifetimeMs: 7 * 24 * 3_600_000 };

export type HeaderProblem =
  | { kind: 'header'; message: string }
  | { kind: 'recipient'; message: string }
  | { kind: 'expired'; message: string }
  | { kind: 'skew'; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARTY = /^[A-Z]{2}$/;

/** Reads a header from untrusted JSON; null fields stay null, anything malformed is named. */
export function parseHeader(
  raw: unknown,
): { ok: true; header: MessageHeader } | { ok: false; message: string } {
  if (raw === null || typeof raw !== 'object') return { ok: false, message: 'the message has no header' };
  const h = raw as Record<string, unknown>;
  const bad = (field: string, why: string) => ({ ok: false as const, message: `header.${field} ${why}` });
  if (typeof h.id !== 'string' || !UUID.test(h.id)) return bad('id', 'must be a UUIDv7');
  for (const f of ['from', 'to'] as const)
    if (typeof h[f] !== 'string' || !PARTY.test(h[f] as string)) return bad(f, 'must be a Party code');
  for (const f of ['created', 'expires'] as const)
    if (typeof h[f] !== 'string' || Number.isNaN(Date.parse(h[f] as string)))
      return bad(f, 'must be an ISO 8601 instant');
  if (typeof h.type !== 'string' || h.type === '') return bad('type', 'must name the message type');
  for (const f of ['requestId', 'inReplyTo'] as const)
    if (h[f] != null && (typeof h[f] !== 'string' || !ANY_UUID.test(h[f] as string)))
      return bad(f, 'must be a UUID or null');
  if (h.seq != null && (typeof h.seq !== 'number' || !Number.isInteger(h.seq) || h.seq < 1))
    return bad('seq', 'must be a positive integer or null');
  if ((h.requestId == null) !== (h.seq == null)) return bad('seq', 'is given exactly when requestId is');
  if (h.exerciseId != null && (typeof h.exerciseId !== 'string' || !ANY_UUID.test(h.exerciseId)))
    return bad('exerciseId', 'must be a UUID or absent');
  // The type as the node knows it: an exercise's request step travels marked (wireType).
  let type = h.type;
  if (type.startsWith(EXERCISE_WIRE_PREFIX)) {
    type = type.slice(EXERCISE_WIRE_PREFIX.length);
    if (h.exerciseId == null) return bad('type', `is marked '${EXERCISE_WIRE_PREFIX}' but names no exercise`);
    if (type === '' || isExerciseMessage(type))
      return bad('type', `'${h.type}' is not a marked request step`);
  } else if (h.exerciseId != null && !isExerciseMessage(type))
    return bad('type', `of a request step of an exercise must be marked '${EXERCISE_WIRE_PREFIX}'`);
  return {
    ok: true,
    header: {
      id: h.id,
      from: h.from as string,
      to: h.to as string,
      created: h.created as string,
      expires: h.expires as string,
      type,
      requestId: (h.requestId as string | null | undefined) ?? null,
      inReplyTo: (h.inReplyTo as string | null | undefined) ?? null,
      seq: (h.seq as number | null | undefined) ?? null,
      ...(h.exerciseId != null ? { exerciseId: h.exerciseId as string } : {}),
    },
  };
}

/** The first reason to refuse a well-formed header, or null when it may be applied. */
export function headerProblem(
  header: MessageHeader,
  self: string,
  now: Date,
  rules: FreshnessRules = DEFAULT_FRESHNESS,
): HeaderProblem | null {
  if (header.to !== self)
    return { kind: 'recipient', message: `the message is for ${header.to}; this node is ${self}` };
  const created = Date.parse(header.created);
  const expires = Date.parse(header.expires);
  const t = now.getTime();
  if (expires <= created) return { kind: 'header', message: 'header.expires must be after header.created' };
  if (expires - created > rules.maxLifetimeMs)
    return {
      kind: 'header',
      message: `the message lives longer than ${Math.round(rules.maxLifetimeMs / 3_600_000)} h`,
    };
  if (created > t + rules.skewMs)
    return {
      kind: 'skew',
      message: `the message was created ${Math.round((created - t) / 1000)} s in the future, beyond the clock-skew window`,
    };
  if (expires + rules.skewMs <= t)
    return { kind: 'expired', message: `the message expired at ${header.expires}` };
  return null;
}

/** How long a seen message id must be kept: past that, the message would be refused as expired. */
export function seenUntil(header: MessageHeader, rules: FreshnessRules = DEFAULT_FRESHNESS): Date {
  return new Date(Date.parse(header.expires) + rules.skewMs);
}
