// Which alert owns each indexed indicator row, without a number per row. Rows get their numbers in
// the transaction that writes them, so one alert's rows are a few runs of consecutive numbers (one
// run for most alerts), and the index is built in row-number order at start. This keeps the runs:
// first and last row number and whose they are. A run may span numbers of rows that are gone or never
// indexed (only rows the index holds are asked about); numbers outside every run have no owner.
// About 12 bytes a run, against 4 bytes per row for a plain array of owners.

export type RowOwners = {
  /** Records that row `rowNo` belongs to alert `alertId`; a row never changes owner. */
  set(rowNo: number, alertId: string): void;
  /** The alert of row `rowNo`: the owner of the run it falls in, or null outside every run. */
  alertOf(rowNo: number): string | null;
  readonly runs: number;
  /** Approximate bytes held: the run arrays and the alert ids. */
  readonly bytes: number;
};

export function createRowOwners(): RowOwners {
  // Run i covers row numbers firsts[i]..lasts[i]; runs are sorted and do not overlap.
  const firsts: number[] = [];
  const lasts: number[] = [];
  const owners: number[] = [];
  const alertIds: string[] = [];
  const numbers = new Map<string, number>();

  const numberOf = (alertId: string): number => {
    let n = numbers.get(alertId);
    if (n === undefined) {
      n = alertIds.length;
      alertIds.push(alertId);
      numbers.set(alertId, n);
    }
    return n;
  };

  /** Index of the last run starting at or before rowNo, or -1. */
  const runBefore = (rowNo: number): number => {
    // Rows mostly arrive in increasing order: the last run answers without a search.
    const last = firsts.length - 1;
    if (last < 0 || firsts[last]! <= rowNo) return last;
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (firsts[middle]! <= rowNo) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  };

  const insertRun = (at: number, first: number, last: number, owner: number) => {
    firsts.splice(at, 0, first);
    lasts.splice(at, 0, last);
    owners.splice(at, 0, owner);
  };

  return {
    set(rowNo, alertId) {
      const owner = numberOf(alertId);
      const at = runBefore(rowNo);
      if (at >= 0 && rowNo <= lasts[at]!) {
        const current = owners[at]!;
        if (current === owner) return;
        // Inside another alert's run (their rows were written in the same moments): split it.
        const first = firsts[at]!;
        const last = lasts[at]!;
        if (rowNo === first) {
          owners[at] = owner;
          lasts[at] = rowNo;
          if (last > rowNo) insertRun(at + 1, rowNo + 1, last, current);
        } else {
          lasts[at] = rowNo - 1;
          insertRun(at + 1, rowNo, rowNo, owner);
          if (last > rowNo) insertRun(at + 2, rowNo + 1, last, current);
        }
        return;
      }
      // In the gap after run `at`: grow the neighbouring run of the same alert, or start a run.
      if (at >= 0 && owners[at] === owner) {
        lasts[at] = rowNo;
        if (at + 1 < firsts.length && owners[at + 1] === owner) {
          lasts[at] = lasts[at + 1]!;
          firsts.splice(at + 1, 1);
          lasts.splice(at + 1, 1);
          owners.splice(at + 1, 1);
        }
      } else if (at + 1 < firsts.length && owners[at + 1] === owner) firsts[at + 1] = rowNo;
      else if (at === firsts.length - 1) {
        firsts.push(rowNo);
        lasts.push(rowNo);
        owners.push(owner);
      } else insertRun(at + 1, rowNo, rowNo, owner);
    },
    alertOf(rowNo) {
      const at = runBefore(rowNo);
      return at >= 0 && rowNo <= lasts[at]! ? alertIds[owners[at]!]! : null;
    },
    get runs() {
      return firsts.length;
    },
    get bytes() {
      return firsts.length * 12 + alertIds.length * 64;
    },
  };
}
