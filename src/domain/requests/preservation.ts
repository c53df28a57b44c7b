// Preservation under art. 42 [U] and Budapest art. 29(7) [V]: data are kept at least 60 days from
// execution; once the follow-up request for search, seizure or disclosure arrives before expiry,
// they are kept until it is decided; the requesting side may ask to extend. Reminders go out
// before expiry (D-15, D-7, D-2 by default). The floor is law; the rest is the State's choice.
import type { LegalBasisCode } from '../codes.ts';
import { PRESERVATION_FLOOR_DAYS } from '../law/unverified.ts';
import { addMs, DAY_MS } from './durations.ts';
import { SETTLED_STATES } from './vocabulary.ts';

/** What the law leaves to the State: a longer period, extensions and reminders. */
export type PreservationPolicy = {
  periodDays: number;
  extensionDays: number;
  reminderDaysBefore: readonly number[];
};

export const DEFAULT_PRESERVATION_POLICY: PreservationPolicy = {
  periodDays: 60,
  extensionDays: 60,
  reminderDaysBefore: [15, 7, 2],
};

/** The floor of each legal basis that has one, highest first: a node period may not go under any. */
export function preservationFloor(basis?: LegalBasisCode): { days: number; article: string } | null {
  if (basis !== undefined) return PRESERVATION_FLOOR_DAYS[basis] ?? null;
  const floors = Object.values(PRESERVATION_FLOOR_DAYS);
  const days = Math.max(...floors.map((f) => f.days));
  const articles = floors.filter((f) => f.days === days).map((f) => f.article);
  return { days, article: articles.join('; ') };
}

/** Checks a configured policy: the period may not go under the floor any legal basis sets. */
export function resolvePreservationPolicy(partial: Partial<PreservationPolicy> = {}): PreservationPolicy {
  const policy = { ...DEFAULT_PRESERVATION_POLICY, ...partial };
  const floor = preservationFloor()!;
  if (policy.periodDays < floor.days) {
    throw new RangeError(
      `preservation period ${policy.periodDays} days is under the ${floor.days}-day minimum (${floor.article}); the minimum is law, not a setting`,
    );
  }
  if (policy.extensionDays < 1) throw new RangeError('a preservation extension must last at least one day');
  return policy;
}

/** When preservation executed at `executedAt` ends, counting extensions granted since. */
export function preservationExpiry(
  executedAt: Date,
  extensions: number,
  policy: PreservationPolicy = DEFAULT_PRESERVATION_POLICY,
): Date {
  return addMs(executedAt, (policy.periodDays + extensions * policy.extensionDays) * DAY_MS);
}

/** A new expiry after an extension, from the current expiry (never shortening it). */
export function extendPreservation(
  currentExpiry: Date,
  now: Date,
  policy: PreservationPolicy = DEFAULT_PRESERVATION_POLICY,
): Date {
  if (currentExpiry.getTime() <= now.getTime()) {
    throw new RangeError(
      'preservation has already expired: an extension must be asked before expiry (art. 42)',
    );
  }
  return addMs(currentExpiry, policy.extensionDays * DAY_MS);
}

export type PreservationStatus = 'PRESERVED' | 'HELD_FOR_MLA' | 'EXPIRED';

/**
 * PRESERVED until expiry; HELD_FOR_MLA while a linked MLA request is undecided (even past expiry);
 * EXPIRED afterwards.
 */
export function preservationStatus(
  input: { expiresAt: Date; linkedMlaUndecided: boolean },
  now: Date,
): PreservationStatus {
  if (input.linkedMlaUndecided) return 'HELD_FOR_MLA';
  return now.getTime() < input.expiresAt.getTime() ? 'PRESERVED' : 'EXPIRED';
}

/** The instants reminders are due before expiry, earliest first. */
export function reminderTimes(
  expiresAt: Date,
  policy: PreservationPolicy = DEFAULT_PRESERVATION_POLICY,
): Date[] {
  return [...policy.reminderDaysBefore].sort((a, b) => b - a).map((days) => addMs(expiresAt, -days * DAY_MS));
}

/** Reminders due at `now` and not yet sent (by their days-before value). */
export function dueReminders(
  expiresAt: Date,
  now: Date,
  alreadySent: readonly number[],
  policy: PreservationPolicy = DEFAULT_PRESERVATION_POLICY,
): number[] {
  if (now.getTime() >= expiresAt.getTime()) return [];
  return policy.reminderDaysBefore
    .filter((days) => !alreadySent.includes(days))
    .filter((days) => addMs(expiresAt, -days * DAY_MS).getTime() <= now.getTime())
    .sort((a, b) => b - a);
}

/** A request linked to a preservation, as far as the hold rule needs to know it. */
export type LinkedRequest = {
  type: string;
  status: string;
  /** When it was sent (outgoing) or received (incoming); null while a draft. */
  startedAt: Date | null;
  /** For general MLA: the measures asked for. */
  measures?: readonly string[] | undefined;
};

/** MLA measures that are a follow-up to preservation: search, seizure or disclosure of the data. */
const FOLLOW_UP_MEASURES: readonly string[] = ['STORED_DATA', 'SEARCH_SEIZURE_FREEZING'];

/** States of a request not yet made (sent or received): it cannot hold anything. */
const NOT_YET_MADE: readonly string[] = ['draft', 'pending_approval', 'approved'];

/**
 * True when `link` keeps a preservation past `expiresAt` (art. 42 [U]; Budapest art. 29(7) [V]):
 * only the follow-up request for the search, seizure or disclosure of the preserved data, made
 * before expiry and not yet decided. A traffic-data disclosure or a late request does not.
 */
export function holdsPreservation(link: LinkedRequest, expiresAt: Date | null): boolean {
  const followUp =
    link.type === 'MLA_STORED_DATA' ||
    (link.type === 'MLA_GENERAL' && (link.measures ?? []).some((m) => FOLLOW_UP_MEASURES.includes(m)));
  const undecided =
    !(SETTLED_STATES as readonly string[]).includes(link.status) && !NOT_YET_MADE.includes(link.status);
  if (!followUp || !undecided || link.startedAt === null) return false;
  return expiresAt === null || link.startedAt.getTime() < expiresAt.getTime();
}
