// The refusal ledger of replicas on one PostgreSQL (refusal-ledger.ts says what it is for): the
// counts live in the database, so N replicas allow one budget per address, not N, and the summary of
// a window is audited once, by whichever replica takes it first. Addresses are stored as SHA-256 only.
// - Each refusal is one statement: an atomic upsert of the address's window (drizzle/0032), and, past
//   the first refusal of the window and up to the budget, of its count by code. The first refusal,
//   seen by exactly one replica, is audited in full.
// - The refusal is answered from the count that upsert returns: past the budget it is answered 429,
//   on whichever replica, so the node as a whole answers exactly the budget of refusals per address
//   and window, never one more.
// - An address over its budget is remembered in memory until its window ends: from then on this
//   replica answers it 429 before its body is read, with no database work at all. A replica that has
//   not refused the address yet learns it from its next refusal (answered 429): the flood costs at
//   most the budget plus one per other replica in writes per window.
// - Counts are taken for audit by a DELETE … RETURNING in the audit's own transaction (the timer of
//   the federation routes, and at shutdown): a count is summarised once or, if the audit fails, kept.
import { sql } from 'drizzle-orm';
import { sha256Hex } from '../crypto/hash.ts';
import { type Db, rowsOf } from '../store/database.ts';
import {
  type Counted,
  MAX_ADDRESSES,
  type RefusalCounter,
  type RefusalSummary,
  type RefusalWindow,
  secondsLeft,
} from './refusal-ledger.ts';

type WindowRow = { refusals: number; started_ms: string | number };
type CountRow = {
  key: string;
  window_start_ms: string | number;
  count: number;
  codes: Record<string, number>;
};

export function createSharedRefusalLedger(db: Db, options: RefusalWindow): RefusalCounter {
  const { windowMs, maxPerWindow } = options;
  /** Addresses over their budget, until their window ends (ms). */
  const blocked = new Map<string, number>();
  /** The addresses this replica refused, by hash, for the operator's log of a summary. */
  const seen = new Map<string, string>();
  let counted = 0;

  const remember = (map: Map<string, unknown>, key: string, value: unknown) => {
    if (map.size >= MAX_ADDRESSES) map.clear();
    map.set(key, value);
  };

  return {
    admit(address: string, nowMs: number): number {
      const until = blocked.get(address);
      if (until === undefined) return 0;
      if (until <= nowMs) {
        blocked.delete(address);
        return 0;
      }
      return secondsLeft(until, 0, nowMs);
    },

    async record(address: string, code: string, nowMs: number): Promise<Counted> {
      const key = sha256Hex(address);
      remember(seen, key, address);
      const ended = sql`federation_refusal_windows.started_ms <= ${nowMs - windowMs}`;
      const [window] = rowsOf<WindowRow>(
        await db.execute(sql`WITH w AS (
            INSERT INTO federation_refusal_windows (key, started_ms, refusals) VALUES (${key}, ${nowMs}, 1)
            ON CONFLICT (key) DO UPDATE SET
              refusals = CASE WHEN ${ended} THEN 1 ELSE federation_refusal_windows.refusals + 1 END,
              started_ms = CASE WHEN ${ended} THEN ${nowMs} ELSE federation_refusal_windows.started_ms END
            RETURNING refusals, started_ms
          ), c AS (
            INSERT INTO federation_refusal_counts (key, window_start_ms, count, codes)
            SELECT ${key}, w.started_ms, 1, jsonb_build_object(${code}::text, 1) FROM w
            WHERE w.refusals > 1 AND w.refusals <= ${maxPerWindow}
            ON CONFLICT (key, window_start_ms) DO UPDATE SET
              count = federation_refusal_counts.count + 1,
              codes = federation_refusal_counts.codes || jsonb_build_object(${code}::text,
                COALESCE((federation_refusal_counts.codes ->> ${code}::text)::int, 0) + 1)
          )
          SELECT refusals, started_ms FROM w`),
      );
      const refusals = Number(window!.refusals);
      const started = Number(window!.started_ms);
      if (refusals >= maxPerWindow) remember(blocked, address, started + windowMs);
      if (refusals > maxPerWindow) return { first: false, wait: secondsLeft(started, windowMs, nowMs) };
      if (refusals === 1) return { first: true, wait: 0 };
      counted++;
      return { first: false, wait: 0 };
    },

    // Ended windows are summarised by the timer: asking the database at every refusal would not be cheap.
    knownDue: () => null,

    async takeDue(tx: Db, nowMs: number, all: boolean): Promise<RefusalSummary[]> {
      const rows = rowsOf<CountRow>(
        await tx.execute(sql`DELETE FROM federation_refusal_counts
          WHERE ${all} OR window_start_ms <= ${nowMs - windowMs}
          RETURNING key, window_start_ms, count, codes`),
      );
      await tx.execute(sql`DELETE FROM federation_refusal_windows WHERE started_ms <= ${nowMs - windowMs}`);
      return rows.map((r) => {
        const address = seen.get(r.key);
        return {
          addressSha256: r.key,
          ...(address ? { address } : {}),
          windowStart: Number(r.window_start_ms),
          count: Number(r.count),
          codes: r.codes,
        };
      });
    },

    counted: () => counted,
  };
}
