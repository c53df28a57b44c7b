// The derived indicator ids (indicator-ids.ts) of rows that hit lately, by row number. Deriving an id
// is a SHA-256 of (alert, type, value) and the text around it: about half of a bulk check's CPU once
// the values are looked up (issue 20). A row number is an identity value never given out twice, and
// a row never changes its alert, type or value, so the id kept for a row number stays true for as long
// as the process runs: nothing has to be taken out when alerts change. Bounded: emptied when full,
// so memory stays a few tens of megabytes whatever the size of the index.
import { deriveIndicatorId, deriveIndicatorIds } from './indicator-ids.ts';

/** Ids kept at most (about 70 bytes each: the 36-character text and the map's entry). */
export const DERIVED_ID_CACHE_SIZE = 262_144;

export function createDerivedIdCache(limit = DERIVED_ID_CACHE_SIZE) {
  const ids = new Map<number, string>();
  return {
    /** The id of one hit (a single check): kept, or derived and kept. */
    idOf(rowNo: number, alertId: string, type: string, value: string): string {
      let id = ids.get(rowNo);
      if (id === undefined) {
        id = deriveIndicatorId(alertId, type, value);
        if (ids.size >= limit) ids.clear();
        ids.set(rowNo, id);
      }
      return id;
    },
    /**
     * The ids of these hits, the i-th of row rowNos[i], which belongs to alertIds[i] and holds
     * (types[i], values[i]): those kept, and the others derived in one batch and kept.
     */
    idsOf(
      rowNos: readonly number[],
      alertIds: readonly string[],
      types: readonly string[],
      values: readonly string[],
    ): string[] {
      const count = rowNos.length;
      const out: string[] = new Array(count);
      const missing: number[] = [];
      for (let k = 0; k < count; k++) {
        const id = ids.get(rowNos[k]!);
        if (id === undefined) missing.push(k);
        else out[k] = id;
      }
      if (missing.length === 0) return out;
      const made =
        missing.length === count
          ? deriveIndicatorIds(alertIds, types, values)
          : deriveIndicatorIds(
              missing.map((k) => alertIds[k]!),
              missing.map((k) => types[k]!),
              missing.map((k) => values[k]!),
            );
      if (ids.size + missing.length > limit) ids.clear();
      for (let j = 0; j < missing.length; j++) {
        const k = missing[j]!;
        out[k] = made[j]!;
        if (j < limit) ids.set(rowNos[k]!, made[j]!);
      }
      return out;
    },
    get size() {
      return ids.size;
    },
  };
}

export type DerivedIdCache = ReturnType<typeof createDerivedIdCache>;
