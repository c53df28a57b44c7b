// Refusals of federation posts whose sender is not proven (no valid signature of a directory node)
// come from anyone on the network. Auditing each one would let a stranger flood the audit log, so
// per source address and window: the first refusal is audited in full, the rest are counted and
// audited as one summary entry when the window ends; past `maxPerWindow` refusals the address is
// answered 429 before its body is even opened, and a refusal counted past the budget (posts already
// in flight, or seen first by another replica) is answered 429 too: the budget is exact. A refusal of
// a message whose signature verified (a partner node misbehaving) is always audited on its own.
// This ledger counts in memory: one process (PGlite). Replicas on one PostgreSQL count together
// (shared-refusal-ledger.ts); both answer to RefusalCounter.
import { sha256Hex } from '../crypto/hash.ts';
import { TooManyRequestsError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';

export type RefusalSummary = {
  /** The address as SHA-256 (hex): the audit entry names it so, never in clear. */
  addressSha256: string;
  /** The address itself, for the operator's log, when this process saw it. */
  address?: string;
  windowStart: number;
  count: number;
  codes: Record<string, number>;
};

/** What counting one refusal decided. */
export type Counted = {
  /** The first refusal of its window: audited on its own. */
  first: boolean;
  /** Past the budget: seconds to wait, and the refusal is answered 429 and not summarised; else 0. */
  wait: number;
};

/** Counts the refusals of unproven senders, per address and window. */
export type RefusalCounter = {
  /** Seconds an address must wait before posting again (over its refusal budget), else 0; no I/O. */
  admit(address: string, nowMs: number): number;
  /** Counts a refusal, atomically for every process sharing the budget. */
  record(address: string, code: string, nowMs: number): Promise<Counted>;
  /**
   * Whether counted refusals are due for a summary now (of ended windows, or any with `all`), when
   * that is known without I/O; null when only the database knows (then a timer takes them).
   */
  knownDue(nowMs: number, all: boolean): boolean | null;
  /** The counted refusals to audit now, in `tx`: of ended windows, or of every window (`all`). */
  takeDue(tx: Db, nowMs: number, all: boolean): Promise<RefusalSummary[]>;
  /** How many refusals this process counted into summaries rather than audited one by one, since start. */
  counted(): number;
};

export const MAX_ADDRESSES = 10_000;

type Window = { start: number; refusals: number; pending: number; codes: Record<string, number> };

export type RefusalWindow = { windowMs: number; maxPerWindow: number };

/** The answer to an address past its budget: before its body is read, or once its refusal is counted. */
export function refusalBudgetSpent(waitSeconds: number): TooManyRequestsError {
  return new TooManyRequestsError(
    `Too many refused federation posts from this address; wait ${waitSeconds} s.`,
    waitSeconds,
  );
}

/** Seconds left of a window that started at `startMs`, at least 1. */
export function secondsLeft(startMs: number, windowMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((startMs + windowMs - nowMs) / 1000));
}

export function createRefusalLedger(options: RefusalWindow): RefusalCounter {
  const windows = new Map<string, Window>();
  let counted = 0;
  const ended = (w: Window, nowMs: number) => nowMs - w.start >= options.windowMs;

  return {
    admit(address: string, nowMs: number): number {
      const w = windows.get(address);
      if (!w || ended(w, nowMs) || w.refusals < options.maxPerWindow) return 0;
      return secondsLeft(w.start, options.windowMs, nowMs);
    },

    async record(address: string, code: string, nowMs: number): Promise<Counted> {
      const current = windows.get(address);
      if (current && !ended(current, nowMs)) {
        current.refusals++;
        if (current.refusals > options.maxPerWindow)
          return { first: false, wait: secondsLeft(current.start, options.windowMs, nowMs) };
        current.pending++;
        current.codes[code] = (current.codes[code] ?? 0) + 1;
        counted++;
        return { first: false, wait: 0 };
      }
      // A new window; the old one's count (if any) is taken by the next takeDue.
      if (current && current.pending > 0) windows.set(`${address}\n${current.start}`, current);
      windows.set(address, { start: nowMs, refusals: 1, pending: 0, codes: {} });
      if (windows.size > MAX_ADDRESSES)
        for (const [key, w] of windows) if (ended(w, nowMs) && w.pending === 0) windows.delete(key);
      return { first: true, wait: 0 };
    },

    counted: () => counted,

    knownDue(nowMs: number, all: boolean): boolean {
      for (const w of windows.values()) if (w.pending > 0 && (all || ended(w, nowMs))) return true;
      return false;
    },

    async takeDue(_tx: Db, nowMs: number, all: boolean): Promise<RefusalSummary[]> {
      const due: RefusalSummary[] = [];
      for (const [key, w] of windows) {
        const over = ended(w, nowMs);
        if (w.pending > 0 && (over || all)) {
          const address = key.split('\n')[0]!;
          due.push({
            addressSha256: sha256Hex(address),
            address,
            windowStart: w.start,
            count: w.pending,
            codes: w.codes,
          });
          w.pending = 0;
          w.codes = {};
        }
        if (over && w.pending === 0) windows.delete(key);
      }
      return due;
    },
  };
}
