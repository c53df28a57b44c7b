// Refusals of federation posts whose sender is not proven (no valid signature of a directory node)
// come from anyone on the network. Auditing each one would let a stranger flood the audit log, so
// per source address and window: the first refusal is audited in full, the rest are counted and
// audited as one summary entry when the window ends; past `maxPerWindow` refusals the address is
// answered 429 before its body is even opened. A refusal of a message whose signature verified
// (a partner node misbehaving) is always audited on its own.

export type RefusalSummary = {
  address: string;
  windowStart: number;
  count: number;
  codes: Record<string, number>;
};

type Window = { start: number; refusals: number; pending: number; codes: Record<string, number> };

const MAX_ADDRESSES = 10_000;

export function createRefusalLedger(options: { windowMs: number; maxPerWindow: number }) {
  const windows = new Map<string, Window>();
  let counted = 0;
  const ended = (w: Window, nowMs: number) => nowMs - w.start >= options.windowMs;

  return {
    /** Seconds an address must wait before posting again (over its refusal budget), else 0. */
    admit(address: string, nowMs: number): number {
      const w = windows.get(address);
      if (!w || ended(w, nowMs) || w.refusals < options.maxPerWindow) return 0;
      return Math.max(1, Math.ceil((w.start + options.windowMs - nowMs) / 1000));
    },

    /** Counts a refusal; true when it is the first of its window and is audited on its own. */
    record(address: string, code: string, nowMs: number): boolean {
      const current = windows.get(address);
      if (current && !ended(current, nowMs)) {
        current.refusals++;
        current.pending++;
        current.codes[code] = (current.codes[code] ?? 0) + 1;
        counted++;
        return false;
      }
      // A new window; the old one's count (if any) is taken by the next takeDue.
      if (current && current.pending > 0) windows.set(`${address}\n${current.start}`, current);
      windows.set(address, { start: nowMs, refusals: 1, pending: 0, codes: {} });
      if (windows.size > MAX_ADDRESSES)
        for (const [key, w] of windows) if (ended(w, nowMs) && w.pending === 0) windows.delete(key);
      return true;
    },

    /** How many refusals were counted into summaries rather than audited one by one, since start. */
    counted: () => counted,

    /** The counted refusals to audit now: of ended windows, or of every window (`all`, at shutdown). */
    takeDue(nowMs: number, all = false): RefusalSummary[] {
      const due: RefusalSummary[] = [];
      for (const [key, w] of windows) {
        const over = ended(w, nowMs);
        if (w.pending > 0 && (over || all)) {
          due.push({ address: key.split('\n')[0]!, windowStart: w.start, count: w.pending, codes: w.codes });
          w.pending = 0;
          w.codes = {};
        }
        if (over && w.pending === 0) windows.delete(key);
      }
      return due;
    },
  };
}

export type RefusalLedger = ReturnType<typeof createRefusalLedger>;
