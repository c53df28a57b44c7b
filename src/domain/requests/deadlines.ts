// Deadlines per request type and urgency. The Convention gives no figures for most steps
// ("expeditiously", "as soon as possible"), so every figure here is a configurable default.
import type { RequestType, Urgency } from '../codes.ts';
import { addMs, durationMs } from './durations.ts';
import { type Direction, type RequestState, SETTLED_STATES } from './vocabulary.ts';

export type DeadlinePolicy = {
  /** Time to acknowledge a request once received (incoming) or to expect the acknowledgement (outgoing). */
  acknowledge: Record<Urgency, string>;
  /** Time to execute or decide, counted from receipt or sending; per type where it differs. */
  execute: Record<Urgency, string>;
  executeByType: Partial<Record<RequestType, Partial<Record<Urgency, string>>>>;
  /** An emergency request sent before approval must be approved within this. */
  emergencyApprovalWithin: string;
};

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  acknowledge: { EMERGENCY: 'PT1H', URGENT: 'PT24H', ROUTINE: 'P5D' },
  execute: { EMERGENCY: 'PT24H', URGENT: 'P10D', ROUTINE: 'P90D' },
  executeByType: {
    PRESERVATION: { EMERGENCY: 'PT4H', URGENT: 'PT24H', ROUTINE: 'P3D' },
    EMERGENCY_DISCLOSURE: { EMERGENCY: 'PT8H' },
    ASSISTANCE_24_7: { EMERGENCY: 'PT4H', URGENT: 'PT24H', ROUTINE: 'P5D' },
    TRAFFIC_DATA_DISCLOSURE: { EMERGENCY: 'PT8H', URGENT: 'PT24H', ROUTINE: 'P3D' },
    MLA_STORED_DATA: { URGENT: 'P10D', ROUTINE: 'P60D' },
    PROVISIONAL_ARREST: { EMERGENCY: 'PT24H', URGENT: 'PT48H', ROUTINE: 'P5D' },
  },
  emergencyApprovalWithin: 'PT4H',
};

/** Merges a partial policy (configuration) over the defaults and checks every duration. */
export function resolveDeadlinePolicy(partial: Partial<DeadlinePolicy> = {}): DeadlinePolicy {
  const policy: DeadlinePolicy = {
    acknowledge: { ...DEFAULT_DEADLINE_POLICY.acknowledge, ...partial.acknowledge },
    execute: { ...DEFAULT_DEADLINE_POLICY.execute, ...partial.execute },
    executeByType: { ...DEFAULT_DEADLINE_POLICY.executeByType, ...partial.executeByType },
    emergencyApprovalWithin:
      partial.emergencyApprovalWithin ?? DEFAULT_DEADLINE_POLICY.emergencyApprovalWithin,
  };
  durationMs(policy.emergencyApprovalWithin);
  for (const d of [...Object.values(policy.acknowledge), ...Object.values(policy.execute)]) durationMs(d);
  for (const byUrgency of Object.values(policy.executeByType))
    for (const d of Object.values(byUrgency ?? {})) durationMs(d!);
  return policy;
}

export type DeadlineInput = {
  direction: Direction;
  type: RequestType;
  urgency: Urgency;
  state: RequestState;
  /** When the request left (outgoing) or arrived (incoming); null before. */
  startedAt: Date | null;
  /** The deadline the requesting side asked for, if any. */
  requestedDeadline: Date | null;
  postponedUntil: Date | null;
};

export type Deadline = { kind: 'ACKNOWLEDGE' | 'EXECUTE' | 'RESUME'; dueAt: Date };

const AWAITING_ACK: readonly RequestState[] = ['sent', 'received'];

/** The deadline that applies now, or null when none does (drafts, settled requests). */
export function currentDeadline(
  input: DeadlineInput,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadline | null {
  if (!input.startedAt || SETTLED_STATES.includes(input.state)) return null;
  if (input.state === 'postponed')
    return input.postponedUntil ? { kind: 'RESUME', dueAt: input.postponedUntil } : null;
  if (AWAITING_ACK.includes(input.state)) {
    return {
      kind: 'ACKNOWLEDGE',
      dueAt: addMs(input.startedAt, durationMs(policy.acknowledge[input.urgency])),
    };
  }
  return { kind: 'EXECUTE', dueAt: executeBy(input, policy) };
}

/** The execution deadline: the policy's, or the one asked for when that is earlier. */
export function executeBy(
  input: Pick<DeadlineInput, 'type' | 'urgency' | 'startedAt' | 'requestedDeadline'>,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Date {
  const iso = policy.executeByType[input.type]?.[input.urgency] ?? policy.execute[input.urgency];
  const byPolicy = addMs(input.startedAt!, durationMs(iso));
  return input.requestedDeadline && input.requestedDeadline < byPolicy ? input.requestedDeadline : byPolicy;
}

/** True when the deadline has passed at `now`. */
export function isOverdue(deadline: Deadline | null, now: Date): boolean {
  return deadline !== null && deadline.dueAt.getTime() < now.getTime();
}

/** True when an emergency request sent before approval has not been approved in time. */
export function isEmergencyApprovalOverdue(
  r: { emergencyApprovalPending: boolean; emergencyApprovalDueAt: Date | null },
  now: Date,
): boolean {
  return r.emergencyApprovalPending && r.emergencyApprovalDueAt !== null && r.emergencyApprovalDueAt < now;
}
