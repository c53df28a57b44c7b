// Which timers a request needs in its current state. Recomputed after every write, so the pending
// timers of a request always match its state: a step that meets a deadline cancels its timer.
import { addMs, DAY_MS } from './durations.ts';
import { DEFAULT_PRESERVATION_POLICY, type PreservationPolicy } from './preservation.ts';
import { type RequestState, SETTLED_STATES } from './vocabulary.ts';

export const TIMER_KINDS = [
  'DEADLINE',
  'EMERGENCY_APPROVAL',
  'PRESERVATION_REMINDER',
  'PRESERVATION_EXPIRY',
  // The follow-up that held a preservation was decided: the officer is told at once (art. 42).
  'PRESERVATION_RELEASED',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export type PlannedTimer = { kind: TimerKind; dueAt: Date; details: Record<string, unknown> };

export type TimerInput = {
  type: string;
  status: RequestState;
  nextDueAt: Date | null;
  nextDueKind: string | null;
  emergencyApprovalPending: boolean;
  emergencyApprovalDueAt: Date | null;
  preservationExpiresAt: Date | null;
  /** A preservation whose follow-up request is pending: no reminders to ask for an extension. */
  preservationHeld?: boolean;
};

/** The timers of a request; reminders already in the past are left out. */
export function planTimers(
  r: TimerInput,
  now: Date,
  policy: PreservationPolicy = DEFAULT_PRESERVATION_POLICY,
): PlannedTimer[] {
  const out: PlannedTimer[] = [];
  if (r.nextDueAt) out.push({ kind: 'DEADLINE', dueAt: r.nextDueAt, details: { deadline: r.nextDueKind } });
  if (r.emergencyApprovalPending && r.emergencyApprovalDueAt) {
    out.push({ kind: 'EMERGENCY_APPROVAL', dueAt: r.emergencyApprovalDueAt, details: {} });
  }
  const preserving = r.type === 'PRESERVATION' && r.status === 'executed' && r.preservationExpiresAt;
  if (preserving && r.preservationExpiresAt) {
    const reminders = r.preservationHeld ? [] : policy.reminderDaysBefore;
    for (const days of reminders) {
      const dueAt = addMs(r.preservationExpiresAt, -days * DAY_MS);
      if (dueAt > now) out.push({ kind: 'PRESERVATION_REMINDER', dueAt, details: { daysBefore: days } });
    }
    out.push({ kind: 'PRESERVATION_EXPIRY', dueAt: r.preservationExpiresAt, details: {} });
  }
  return SETTLED_STATES.includes(r.status) && !preserving ? [] : out;
}
