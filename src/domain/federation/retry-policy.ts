// When the sender tries a message again: exponential backoff with full jitter, capped, for a window
// an operator thinks in (72 hours by default, so a partner down for a weekend still gets its
// messages); a refusal that no retry can cure goes straight to the dead letters.

export type RetryPolicy = {
  baseMs: number;
  maxMs: number;
  /** An extra limit on attempts; without it only the window (and the message's expiry) ends retries. */
  maxAttempts?: number;
  /** How long after its creation a message is still retried; without it, until it expires. */
  windowMs?: number;
};

export const DEFAULT_RETRY_HOURS = 72;

export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 1_000,
  maxMs: 10 * 60_000,
  windowMs: DEFAULT_RETRY_HOURS * 3_600_000,
};

/** Delay before attempt `failures + 1`; `random` in [0, 1) spreads replicas and senders apart. */
export function backoffMs(failures: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  // Half fixed, half jitter: never zero, so a failing peer is not hammered.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * When a message that failed `failures` times is tried next, or null when it is a dead letter: its
 * retry window (or its own expiry, after which the receiver would refuse it) has closed, or the
 * attempts are spent. The last attempt falls on the window's end rather than past it.
 */
export function nextAttemptAt(
  failures: number,
  policy: RetryPolicy,
  random: number,
  now: Date,
  message: { createdAt: Date; expiresAt: Date },
): Date | null {
  if (policy.maxAttempts !== undefined && failures >= policy.maxAttempts) return null;
  const windowEnd =
    policy.windowMs === undefined ? Number.POSITIVE_INFINITY : message.createdAt.getTime() + policy.windowMs;
  const deadline = Math.min(windowEnd, message.expiresAt.getTime());
  if (now.getTime() >= deadline) return null;
  return new Date(Math.min(now.getTime() + backoffMs(failures, policy, random), deadline));
}

/** Whether the receiver's answer may change on a later attempt (down, busy, or waiting for an earlier message). */
export function isRetryable(status: number | null, code: string | null): boolean {
  if (status === null) return true;
  if (status >= 500 || status === 408 || status === 429) return true;
  return code === 'ERR_PEER_OUT_OF_ORDER';
}
