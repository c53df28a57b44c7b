// The hub's in-memory exact-match index: (type, normalised value) → ids of indicator rows, and per
// sharing group (privacy mode) (type, HMAC digest of the value) → ids.
//
// The index stores 96-bit keys, not values (see DigestTable for why a key match is taken as a value
// match, and the odds). Values must already be normalised (normalizeIndicator); the index does no
// parsing. Ids are uint32 row numbers from 1 (hub_indicators.row_no in the live node).
import { randomBytes } from 'node:crypto';
import { INDICATOR_TYPES, type IndicatorType } from '../domain/indicators/index.ts';
import { DigestTable } from './digest-table.ts';
import { fmix32, hash96, type Seed, seedFromBytes } from './hash96.ts';
import { PRIVACY_DIGEST_BYTES } from './privacy.ts';

/** Values hashed together before their probes in countMany. */
const BLOCK = 256;

const TYPE_TAGS: ReadonlyMap<string, number> = new Map(INDICATOR_TYPES.map((t, i) => [t, i + 1]));

export type IndexEntry = { type: IndicatorType; value: string; id: number };

export type HubIndexOptions = {
  /** Entries expected, so start-up fills a table of the right size instead of growing it. */
  expectedSize?: number;
  /** 16 bytes; random by default. Fixed only in tests and benchmarks, to make runs repeatable. */
  seed?: Uint8Array;
};

export type HubIndexStats = {
  entries: number;
  capacity: number;
  /** The value table that serves exact checks. */
  bytes: number;
  /** Privacy-mode tables, one per sharing group that has one. */
  groups: { group: string; entries: number; bytes: number }[];
  groupBytes: number;
};

export class HubIndex {
  private readonly seed: Seed;
  private readonly table: DigestTable;
  private readonly groups = new Map<string, DigestTable>();
  private readonly key = new Uint32Array(3);
  private readonly blockKeys = new Uint32Array(BLOCK * 3);
  private readonly unknown = new Uint8Array(BLOCK);

  constructor(options: HubIndexOptions = {}) {
    this.seed = seedFromBytes(options.seed ?? randomBytes(16));
    this.table = new DigestTable(options.expectedSize ?? 0);
  }

  /** Builds the index at start-up from rows streamed out of the database. */
  static build(entries: Iterable<IndexEntry>, options: HubIndexOptions = {}): HubIndex {
    const index = new HubIndex(options);
    for (const entry of entries) index.add(entry.type, entry.value, entry.id);
    return index;
  }

  static async buildAsync(
    entries: AsyncIterable<IndexEntry>,
    options: HubIndexOptions = {},
  ): Promise<HubIndex> {
    const index = new HubIndex(options);
    for await (const entry of entries) index.add(entry.type, entry.value, entry.id);
    return index;
  }

  get size(): number {
    return this.table.size;
  }

  /** Hashes (type, value) into this.key; false for an unknown type. */
  private keyOf(type: string, value: string): boolean {
    const tag = TYPE_TAGS.get(type);
    if (tag === undefined) return false;
    hash96(this.seed, tag, value, this.key);
    return true;
  }

  private keyOrThrow(type: string, value: string): void {
    if (typeof value !== 'string') throw new TypeError('index values must be strings');
    if (!this.keyOf(type, value)) throw new TypeError(`unknown indicator type ${type}`);
  }

  /** Adds one indicator row; false when that (value, id) pair was already indexed. */
  add(type: IndicatorType, value: string, id: number): boolean {
    this.keyOrThrow(type, value);
    const k = this.key;
    return this.table.add(k[0]!, k[1]!, k[2]!, id);
  }

  /** Removes one indicator row (revocation, expiry, edit); false when it was not indexed. */
  remove(type: IndicatorType, value: string, id: number): boolean {
    this.keyOrThrow(type, value);
    const k = this.key;
    return this.table.remove(k[0]!, k[1]!, k[2]!, id);
  }

  /** Whether row `id` is indexed under this value. */
  has(type: IndicatorType, value: string, id: number): boolean {
    if (!this.keyOf(type, value)) return false;
    const k = this.key;
    return this.table.has(k[0]!, k[1]!, k[2]!, id);
  }

  /** Ids of the rows holding this normalised value; empty for an unknown type. */
  lookup(type: IndicatorType, value: string): number[] {
    const out: number[] = [];
    this.lookupInto(type, value, out);
    return out;
  }

  /** Appends the ids to `out` and answers how many; bulk checks reuse one array. */
  lookupInto(type: IndicatorType, value: string, out: number[]): number {
    if (!this.keyOf(type, value)) return 0;
    const k = this.key;
    return this.table.lookupInto(k[0]!, k[1]!, k[2]!, out);
  }

  /** How many rows hold the value, without collecting their ids. */
  count(type: IndicatorType, value: string): number {
    if (!this.keyOf(type, value)) return 0;
    const k = this.key;
    return this.table.countKey(k[0]!, k[1]!, k[2]!);
  }

  /**
   * Bulk form of count(): out[i] receives the number of rows holding values[i] (0 for an unknown
   * type). `types` is one type for the whole batch or one per value. A block of values is hashed
   * first and probed after: keeping the two loops apart lets the CPU overlap the cache misses of
   * many values (measured about twice as fast as hashing and probing each value in turn).
   * A bulk check calls this for the whole request, then lookupInto() for the few values that hit.
   */
  countMany(
    types: IndicatorType | readonly IndicatorType[],
    values: readonly string[],
    out: Uint32Array,
  ): void {
    const total = values.length;
    if (out.length < total) throw new RangeError('countMany needs one output slot per value');
    if (typeof types !== 'string' && types.length !== total) {
      throw new RangeError('countMany needs one type per value');
    }
    const { seed, blockKeys, unknown, table } = this;
    const list = typeof types === 'string' ? null : (types as readonly string[]);
    // Most batches hold one type or long runs of one: the tag is looked up again only on a change.
    let lastType: string | undefined = typeof types === 'string' ? types : undefined;
    let tag = typeof types === 'string' ? (TYPE_TAGS.get(types) ?? 0) : 0;
    for (let start = 0; start < total; start += BLOCK) {
      const n = Math.min(BLOCK, total - start);
      let anyUnknown = false;
      for (let i = 0; i < n; i++) {
        if (list !== null) {
          const type = list[start + i];
          if (type !== lastType) {
            lastType = type;
            tag = TYPE_TAGS.get(type!) ?? 0;
          }
        }
        const value = values[start + i];
        if (tag === 0 || typeof value !== 'string') {
          anyUnknown = true;
          unknown[i] = 1;
          blockKeys[i * 3 + 1] = 0;
          continue;
        }
        unknown[i] = 0;
        hash96(seed, tag, value, blockKeys, i * 3);
      }
      table.countMany(blockKeys, n, out, start);
      if (anyUnknown) for (let i = 0; i < n; i++) if (unknown[i] === 1) out[start + i] = 0;
    }
  }

  // --- privacy mode: one table per sharing group, keyed by digests the caller computed ---

  /** Adds a row under its group digest (HMAC-SHA-256 of the value under the group's key). */
  addDigest(group: string, type: IndicatorType, digest: Uint8Array, id: number): boolean {
    this.digestKeyOrThrow(type, digest);
    let table = this.groups.get(group);
    if (!table) {
      table = new DigestTable();
      this.groups.set(group, table);
    }
    const k = this.key;
    return table.add(k[0]!, k[1]!, k[2]!, id);
  }

  removeDigest(group: string, type: IndicatorType, digest: Uint8Array, id: number): boolean {
    const table = this.groups.get(group);
    if (!table) return false;
    this.digestKeyOrThrow(type, digest);
    const k = this.key;
    const removed = table.remove(k[0]!, k[1]!, k[2]!, id);
    if (table.size === 0) this.groups.delete(group);
    return removed;
  }

  /** Ids under a member's digest in a group; empty for an unknown group, type or a malformed digest. */
  lookupDigest(group: string, type: IndicatorType, digest: Uint8Array): number[] {
    const out: number[] = [];
    const table = this.groups.get(group);
    if (!table || !this.digestKeyOf(type, digest)) return out;
    const k = this.key;
    table.lookupInto(k[0]!, k[1]!, k[2]!, out);
    return out;
  }

  /** Forgets a group's digests, e.g. before re-adding them under a rotated key. */
  dropGroup(group: string): boolean {
    return this.groups.delete(group);
  }

  stats(): HubIndexStats {
    const groups = [...this.groups].map(([group, table]) => ({
      group,
      entries: table.size,
      bytes: table.byteLength,
    }));
    return {
      entries: this.table.size,
      capacity: this.table.capacity,
      bytes: this.table.byteLength,
      groups,
      groupBytes: groups.reduce((sum, g) => sum + g.bytes, 0),
    };
  }

  /**
   * The table key of a digest: its first 12 bytes, with the type mixed in, passed through a seeded
   * bijection. Members know the group key and could grind values whose digests share low bits;
   * the process seed they do not know decides the slot, so they cannot pile entries into one run.
   */
  private digestKeyOf(type: string, digest: Uint8Array): boolean {
    const tag = TYPE_TAGS.get(type);
    if (tag === undefined || !(digest instanceof Uint8Array) || digest.length !== PRIVACY_DIGEST_BYTES) {
      return false;
    }
    const word = (at: number) =>
      ((digest[at]! << 24) | (digest[at + 1]! << 16) | (digest[at + 2]! << 8) | digest[at + 3]!) >>> 0;
    const s = this.seed;
    this.key[0] = fmix32(word(0) ^ s[0]! ^ Math.imul(tag, 0x9e3779b1));
    this.key[1] = fmix32(word(4) ^ s[1]!);
    this.key[2] = fmix32(word(8) ^ s[2]!);
    return true;
  }

  private digestKeyOrThrow(type: string, digest: Uint8Array): void {
    if (!TYPE_TAGS.has(type)) throw new TypeError(`unknown indicator type ${type}`);
    if (!this.digestKeyOf(type, digest))
      throw new RangeError(`digests must be ${PRIVACY_DIGEST_BYTES} bytes`);
  }
}
