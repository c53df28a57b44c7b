// Sign-in throttling that reveals nothing and locks out no one from afar. Every rule keys on the
// name as typed, whether or not such an account exists, so an unknown name, a wrong password and a
// throttled attempt look alike. Three rules, counted in the database (table login_throttle, keys as
// SHA-256), so that every replica of a node on one PostgreSQL counts the same attempts:
// - an address gets `perAddressPerWindow` attempts per window, whatever the names;
// - an address that fails `maxFailures` times on one name is locked out of that name for `lockMs`
//   (the account itself is never locked: a stranger cannot lock `admin` out for its owner);
// - every failure on a name, from anywhere, slows the next attempts on it (progressive delay, capped),
//   which bounds guessing spread over many addresses without locking the owner out.
// Each count is one atomic upsert: two replicas counting at once both count.
import { sql } from 'drizzle-orm';
import { sha256Hex } from '../crypto/hash.ts';
import { type Db, rowsOf } from '../store/database.ts';

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
/** Rows older than their rule's reach are deleted about once per this many counts. */
const PRUNE_EVERY = 200;

type Counter = {
  count: number;
  started_ms: string | number;
  last_ms: string | number;
  locked_until_ms: string | number;
};

export function createLoginThrottle(settings: LoginThrottleSettings, db: Db) {
  const perAddress = settings.perAddressPerWindow ?? 20;
  const windowMs = settings.windowMs ?? 60_000;
  const name = (username: string) => username.normalize('NFC').toLowerCase();
  const addressKey = (address: string) => `a:${sha256Hex(address)}`;
  const pairKey = (address: string, username: string) => `p:${sha256Hex(`${address}\n${name(username)}`)}`;
  const nameKey = (username: string) => `n:${sha256Hex(name(username))}`;
  let counted = 0;

  async function read(key: string): Promise<Counter | undefined> {
    return rowsOf<Counter>(
      await db.execute(
        sql`SELECT count, started_ms, last_ms, locked_until_ms FROM login_throttle WHERE key = ${key}`,
      ),
    )[0];
  }

  /** A failure counter is stale once `lockMs` has passed since its last failure and no lock holds. */
  const staleAt = (nowMs: number) => sql`(login_throttle.last_ms <= ${nowMs - settings.lockMs}
    AND login_throttle.locked_until_ms <= ${nowMs})`;

  /** Counts one failure on `key` (starting again when stale); the counter after it. */
  async function bump(key: string, nowMs: number): Promise<Counter> {
    const rows = rowsOf<Counter>(
      await db.execute(sql`INSERT INTO login_throttle (key, count, started_ms, last_ms, locked_until_ms)
        VALUES (${key}, 1, ${nowMs}, ${nowMs}, 0)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN ${staleAt(nowMs)} THEN 1 ELSE login_throttle.count + 1 END,
          started_ms = CASE WHEN ${staleAt(nowMs)} THEN ${nowMs} ELSE login_throttle.started_ms END,
          locked_until_ms = CASE WHEN ${staleAt(nowMs)} THEN 0 ELSE login_throttle.locked_until_ms END,
          last_ms = ${nowMs}
        RETURNING count, started_ms, last_ms, locked_until_ms`),
    );
    return rows[0]!;
  }

  async function prune(nowMs: number): Promise<void> {
    if (++counted % PRUNE_EVERY !== 0) return;
    const reach = Math.max(settings.lockMs, windowMs);
    await db.execute(
      sql`DELETE FROM login_throttle WHERE last_ms <= ${nowMs - reach} AND locked_until_ms <= ${nowMs}`,
    );
  }

  return {
    /** Counts an attempt; the seconds the address must wait (over its budget, or locked out of this name), else 0. */
    async admit(address: string, username: string, nowMs: number): Promise<number> {
      const [window] = rowsOf<Counter>(
        await db.execute(sql`INSERT INTO login_throttle (key, count, started_ms, last_ms, locked_until_ms)
          VALUES (${addressKey(address)}, 1, ${nowMs}, ${nowMs}, 0)
          ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN login_throttle.started_ms <= ${nowMs - windowMs} THEN 1 ELSE login_throttle.count + 1 END,
            started_ms = CASE WHEN login_throttle.started_ms <= ${nowMs - windowMs} THEN ${nowMs} ELSE login_throttle.started_ms END,
            last_ms = ${nowMs}
          RETURNING count, started_ms, last_ms, locked_until_ms`),
      );
      await prune(nowMs);
      const locked = Number((await read(pairKey(address, username)))?.locked_until_ms ?? 0);
      const waitMs = Math.max(
        window!.count > perAddress ? Number(window!.started_ms) + windowMs - nowMs : 0,
        locked > nowMs ? locked - nowMs : 0,
      );
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    },

    /** How long to hold this attempt back: nothing for the first failures on the name, then doubling. */
    async delayMs(username: string, nowMs: number): Promise<number> {
      const failures = await read(nameKey(username));
      if (!failures) return 0;
      const stale =
        Number(failures.last_ms) <= nowMs - settings.lockMs && Number(failures.locked_until_ms) <= nowMs;
      if (stale) return 0;
      const over = failures.count - FREE_FAILURES;
      return over <= 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(over - 1, 16));
    },

    /** Records a failure; true when it locked the address out of the name. */
    async failed(address: string, username: string, nowMs: number): Promise<boolean> {
      await bump(nameKey(username), nowMs);
      const pair = await bump(pairKey(address, username), nowMs);
      if (pair.count < settings.maxFailures) return false;
      // Only the count that reached the bound locks: a concurrent one past it finds the count reset.
      const locked =
        await db.execute(sql`UPDATE login_throttle SET count = 0, locked_until_ms = ${nowMs + settings.lockMs}
        WHERE key = ${pairKey(address, username)} AND count >= ${settings.maxFailures}`);
      return rowCount(locked) > 0;
    },

    /** A good sign-in clears what the name and this address had against them. */
    async succeeded(address: string, username: string): Promise<void> {
      await db.execute(
        sql`DELETE FROM login_throttle WHERE key IN (${nameKey(username)}, ${pairKey(address, username)})`,
      );
    },
  };
}

/** Rows an UPDATE touched, as node-postgres and PGlite report it. */
function rowCount(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
