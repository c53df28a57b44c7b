// The LookupIndex of src/hub backed by HubIndex: a drop-in for createMapLookupIndex(). Database ids
// are UUIDs, so each indexed row gets a uint32 slot number and its two UUIDs are kept as 32 raw
// bytes in one growing array (no JS object or string per row); refs are rebuilt on a hit only.
import { isIndicatorType } from '../domain/indicators/index.ts';
import type { IndexEntry, IndexRef, LookupIndex } from '../hub/lookup-index.ts';
import { HubIndex, type HubIndexOptions } from './hub-index.ts';
import { parsePrivacyDigest } from './privacy.ts';

const ROW_BYTES = 32;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The value of one hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Written for every row at start (millions of times): char codes, no regex or substrings.
function writeUuid(target: Uint8Array, at: number, uuid: string): void {
  if (typeof uuid !== 'string' || uuid.length !== 36) throw new TypeError(`not a UUID: ${uuid}`);
  let byte = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (uuid.charCodeAt(i) !== 45) throw new TypeError(`not a UUID: ${uuid}`);
      continue;
    }
    const hi = hexDigit(uuid.charCodeAt(i));
    const lo = hexDigit(uuid.charCodeAt(++i));
    if (hi < 0 || lo < 0) throw new TypeError(`not a UUID: ${uuid}`);
    target[at + byte++] = (hi << 4) | lo;
  }
}

function readUuid(source: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[source[at + i]!];
  }
  return s;
}

export type PackedLookupIndex = LookupIndex & { readonly index: HubIndex; readonly bytes: number };

export function createPackedLookupIndex(options: HubIndexOptions = {}): PackedLookupIndex {
  const index = new HubIndex(options);
  let rows = new Uint8Array(ROW_BYTES * Math.max(16, options.expectedSize ?? 0));
  let nextId = 1;
  const free: number[] = [];
  const probe = new Uint8Array(16);
  const NONE: readonly IndexRef[] = Object.freeze([]);

  /** The slot number of the row with this indicator UUID among the ids, or 0. */
  const findRow = (ids: readonly number[], indicatorId: string): number => {
    writeUuid(probe, 0, indicatorId);
    for (const id of ids) {
      const at = (id - 1) * ROW_BYTES;
      let same = true;
      for (let i = 0; i < 16 && same; i++) same = rows[at + i] === probe[i];
      if (same) return id;
    }
    return 0;
  };

  const allocate = (): number => {
    const id = free.pop() ?? nextId++;
    if (id * ROW_BYTES > rows.length) {
      const bigger = new Uint8Array(rows.length * 2);
      bigger.set(rows);
      rows = bigger;
    }
    return id;
  };

  const refs = (ids: readonly number[]): readonly IndexRef[] =>
    ids.length === 0
      ? NONE
      : ids.map((id) => {
          const at = (id - 1) * ROW_BYTES;
          return { indicatorId: readUuid(rows, at), alertId: readUuid(rows, at + 16) };
        });

  return {
    index,
    get bytes() {
      const stats = index.stats();
      return stats.bytes + stats.groups.reduce((sum, g) => sum + g.bytes, 0) + rows.byteLength;
    },
    add(entry: IndexEntry) {
      if (!isIndicatorType(entry.type)) throw new TypeError(`unknown indicator type ${entry.type}`);
      if (findRow(index.lookup(entry.type, entry.value), entry.indicatorId) !== 0) return;
      const id = allocate();
      const at = (id - 1) * ROW_BYTES;
      writeUuid(rows, at, entry.indicatorId);
      writeUuid(rows, at + 16, entry.alertId);
      index.add(entry.type, entry.value, id);
      const digest = parsePrivacyDigest(entry.keyedHash);
      if (digest) index.addDigest(entry.groupId, entry.type, digest, id);
    },
    removeIndicator(entry: IndexEntry) {
      if (!isIndicatorType(entry.type)) return;
      const id = findRow(index.lookup(entry.type, entry.value), entry.indicatorId);
      if (id === 0) return;
      index.remove(entry.type, entry.value, id);
      const digest = parsePrivacyDigest(entry.keyedHash);
      if (digest) index.removeDigest(entry.groupId, entry.type, digest, id);
      rows.fill(0, (id - 1) * ROW_BYTES, id * ROW_BYTES);
      free.push(id);
    },
    lookup(type: string, value: string) {
      return isIndicatorType(type) ? refs(index.lookup(type, value)) : NONE;
    },
    lookupKeyed(groupId: string, type: string, keyedHash: string) {
      const digest = parsePrivacyDigest(keyedHash);
      return digest && isIndicatorType(type) ? refs(index.lookupDigest(groupId, type, digest)) : NONE;
    },
    get size() {
      return index.size;
    },
  };
}
