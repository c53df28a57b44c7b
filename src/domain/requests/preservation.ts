// Preservation under art. 42: data are kept at least 60 days from execution; once the follow-up
// MLA request arrives they are kept until it is decided; the requesting side may ask to extend.
// Reminders go out before expiry (D-15, D-7, D-2 by default).
import { addMs, DAY_MS } from './durations.ts';

export type PreservationPolicy = {
  /** The floor set by art. 42 [U]; a shorter configured period is refused. */
  minimumDays: number;
  periodDays: number;
  extensionDays: number;
  reminderDaysBefore: readonly number[];
};

export const DEFAULT_PRESERVATION_POLICY: PreservationPolicy = {
  minimumDays: 60,
  periodDays: 60,
  extensionDays: 60,
  reminderDaysBefore: [15, 7, 2],
};

/** Checks a configured policy: the period may not go under the 60-day floor. */
export function resolvePreservationPolicy(partial: Partial<PreservationPolicy> = {}): PreservationPolicy {
  const policy = { ...DEFAULT_PRESERVATION_POLICY, ...partial };
  if (policy.periodDays < policy.minimumDays) {
    throw new RangeError(
      `preservation period ${policy.periodDays} days is under the ${policy.minimumDays}-day minimum (art. 42)`,
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
