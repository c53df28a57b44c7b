// Sign-in throttling that reveals nothing and locks out no one from afar. Every rule keys on the
// name as typed, whether or not such an account exists, so an unknown name, a wrong password and a
// throttled attempt look alike. Three rules, all in memory (per replica; the bound is in the README):
// - an address gets `perAddressPerWindow` attempts per window, whatever the names;
// - an address that fails `maxFailures` times on one name is locked out of that name for `lockMs`
//   (the account itself is never locked: a stranger cannot lock `admin` out for its owner);
// - every failure on a name, from anywhere, slows the next attempts on it (progressive delay, capped),
//   which bounds guessing spread over many addresses without locking the owner out.

export type LoginThrottleSettings = {
  maxFailures: number;
  lockMs: number;
  perAddressPerWindow?: number;
  windowMs?: number;
};

/** Failures on a name before the delay starts, its first step and its cap. */
export const FREE_FAILURES = 3;
const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Window = { start: number; count: number };
type Failures = { count: number; last: number; lockedUntil: number };

/** Keeps a map under its bound: expired entries first, then the oldest. */
function prune<V>(map: Map<string, V>, expired: (value: V) => boolean): void {
  if (map.size <= MAX_ENTRIES) return;
  for (const [key, value] of map) if (expired(value)) map.delete(key);
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

export function createLoginThrottle(settings: LoginThrottleSettings) {
  const perAddress = settings.perAddressPerWindow ?? 20;
  const windowMs = settings.windowMs ?? 60_000;
  const windows = new Map<string, Window>();
  const pairs = new Map<string, Failures>();
  const names = new Map<string, Failures>();
  const name = (username: string) => username.normalize('NFC').toLowerCase();
  const pairKey = (address: string, username: string) => `${address}\n${name(username)}`;
  const stale = (nowMs: number) => (f: Failures) =>
    nowMs - f.last >= settings.lockMs && f.lockedUntil <= nowMs;

  return {
    /** Counts an attempt; the seconds the address must wait (over its budget, or locked out of this name), else 0. */
    admit(address: string, username: string, nowMs: number): number {
      let window = windows.get(address);
      if (!window || nowMs - window.start >= windowMs) {
        window = { start: nowMs, count: 0 };
        windows.set(address, window);
        prune(windows, (w) => nowMs - w.start >= windowMs);
      }
      window.count++;
      const locked = pairs.get(pairKey(address, username))?.lockedUntil ?? 0;
      const waitMs = Math.max(
        window.count > perAddress ? window.start + windowMs - nowMs : 0,
        locked > nowMs ? locked - nowMs : 0,
      );
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    },

    /** How long to hold this attempt back: nothing for the first failures on the name, then doubling. */
    delayMs(username: string, nowMs: number): number {
      const failures = names.get(name(username));
      if (!failures || stale(nowMs)(failures)) return 0;
      const over = failures.count - FREE_FAILURES;
      return over <= 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(over - 1, 16));
    },

    /** Records a failure; true when it locked the address out of the name. */
    failed(address: string, username: string, nowMs: number): boolean {
      const bump = (map: Map<string, Failures>, key: string): Failures => {
        const current = map.get(key);
        const next = current && !stale(nowMs)(current) ? current : { count: 0, last: nowMs, lockedUntil: 0 };
        next.count++;
        next.last = nowMs;
        map.set(key, next);
        prune(map, stale(nowMs));
        return next;
      };
      bump(names, name(username));
      const pair = bump(pairs, pairKey(address, username));
      if (pair.count < settings.maxFailures) return false;
      pair.count = 0;
      pair.lockedUntil = nowMs + settings.lockMs;
      return true;
    },

    /** A good sign-in clears what the name and this address had against them. */
    succeeded(address: string, username: string): void {
      names.delete(name(username));
      pairs.delete(pairKey(address, username));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
