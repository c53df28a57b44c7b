// When the sender tries a message again: exponential backoff with full jitter, capped, and a
// refusal that no retry can cure goes straight to the dead letters.

export type RetryPolicy = { baseMs: number; maxMs: number; maxAttempts: number };

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 10 * 60_000, maxAttempts: 10 };

/** Delay before attempt `failures + 1`; `random` in [0, 1) spreads replicas and senders apart. */
export function backoffMs(failures: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  // Half fixed, half jitter: never zero, so a failing peer is not hammered.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Whether the receiver's answer may change on a later attempt (down, busy, or waiting for an earlier message). */
export function isRetryable(status: number | null, code: string | null): boolean {
  if (status === null) return true;
  if (status >= 500 || status === 408 || status === 429) return true;
  return code === 'ERR_PEER_OUT_OF_ORDER';
}
