/**
 * Per-address login throttle kept in memory: a fixed window per client address. Per-account lockout lives
 * in the database (users.locked_until) so it holds across replicas; this only slows down a single address.
 */
export function createLoginThrottle(maxPerWindow = 20, windowMs = 60_000) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts an attempt; returns the seconds to wait when the address is over its budget, else 0. */
    hit(address: string, nowMs: number): number {
      const current = windows.get(address);
      if (!current || nowMs - current.start >= windowMs) {
        windows.set(address, { start: nowMs, count: 1 });
        if (windows.size > 10_000) {
          for (const [key, w] of windows) if (nowMs - w.start >= windowMs) windows.delete(key);
        }
        return 0;
      }
      current.count++;
      return current.count > maxPerWindow ? Math.ceil((current.start + windowMs - nowMs) / 1000) : 0;
    },
  };
}
