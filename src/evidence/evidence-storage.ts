// Where encrypted evidence lives. An upload is staged as a file of chunk records (fixed size, so
// record i sits at i × RECORD_SIZE) plus a "tail": the sealed bytes of the chunk not yet full, replaced
// atomically. What is on disk alone says how far an upload got, so it resumes after a crash, a cut or
// a full disk. A finished upload becomes a blob named by its SHA-256.
import { constants } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RECORD_SIZE } from './evidence-crypto.ts';

export type EvidenceStorage = {
  /** How many whole chunk records the upload has; a torn last record is cut off. */
  stagedRecords(uploadId: string): Promise<number>;
  /** Writes record `index` (one buffer, or its parts in order); durable only after `sync`. */
  writeRecord(uploadId: string, index: number, record: Buffer | readonly Buffer[]): Promise<void>;
  /**
   * Writes record `index` and makes it durable before answering, on its own, so that several records
   * of one staging can be written at once (chunks of a transfer arrive in parallel).
   */
  writeRecordDurably(uploadId: string, index: number, record: Buffer | readonly Buffer[]): Promise<void>;
  /** Makes the records written so far durable (before an offset is reported to the client). */
  sync(uploadId: string): Promise<void>;
  readStagedRecord(uploadId: string, index: number): Promise<Buffer>;
  /** Replaces the tail atomically: the sealed partial chunk that follows `index` whole records. */
  writeTail(uploadId: string, index: number, record: Buffer): Promise<void>;
  readTail(uploadId: string): Promise<{ index: number; record: Buffer } | null>;
  /** Makes the staged records the blob `storageKey` and forgets the staging. */
  promote(uploadId: string, storageKey: string): Promise<void>;
  discard(uploadId: string): Promise<void>;
  /** A record of a blob, in a buffer of the caller's own (the transfer sender opens and seals it in place). */
  readRecord(storageKey: string, index: number): Promise<Buffer>;
  /**
   * Keeps a blob's Merkle leaf hashes (32 bytes per chunk, in order), taken while it was uploaded, so
   * that sending it needs no pass over its chunks to make their proofs; deleted with the blob.
   */
  writeLeaves(storageKey: string, leaves: Buffer): Promise<void>;
  /** The kept leaf hashes, or null (a blob stored before they were kept, or received). */
  readLeaves(storageKey: string): Promise<Buffer | null>;
  deleteBlob(storageKey: string): Promise<void>;
  /** Lets go of connections (an object store's client); a folder has none. */
  close?(): void;
};

/** Evidence in a folder of this machine (by default `<data dir>/evidence`). */
export function fileStorage(root: string): EvidenceStorage {
  const staged = (id: string) => join(root, 'staging', `${id}.chunks`);
  const tail = (id: string) => join(root, 'staging', `${id}.tail`);
  const blob = (key: string) => join(root, 'blobs', key.slice(0, 2), key);
  const leaves = (key: string) => join(root, 'leaves', key.slice(0, 2), key);
  // The staging file of an upload stays open while a PATCH writes to it; `sync` closes it.
  const handles = new Map<string, Promise<FileHandle>>();
  async function release(id: string, flush: boolean): Promise<void> {
    const handle = handles.get(id);
    if (!handle) return;
    handles.delete(id);
    const h = await handle.catch(() => null);
    try {
      if (flush) await h?.datasync();
    } finally {
      await h?.close();
    }
  }

  // Records written durably one by one (chunks of a transfer, several at once) share a handle and their
  // syncs: a write waits for the first sync that starts after it, so one datasync covers every record
  // written meanwhile (group commit) instead of one each.
  type SyncGroup = {
    handle: Promise<FileHandle>;
    users: number;
    running: Promise<void> | null;
    next: Promise<void> | null;
  };
  const groups = new Map<string, SyncGroup>();
  function groupSync(group: SyncGroup, handle: FileHandle): Promise<void> {
    const start = () => {
      const run = handle.datasync().finally(() => {
        if (group.running === run) group.running = null;
      });
      group.running = run;
      return run;
    };
    if (!group.running) return start();
    // A sync is running and may have begun before this write: the one after it covers it.
    group.next ??= group.running
      .catch(() => {})
      .then(() => {
        group.next = null;
        return start();
      });
    return group.next;
  }

  async function readAt(path: string, index: number): Promise<Buffer> {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(RECORD_SIZE);
      const { bytesRead } = await handle.read(buffer, 0, RECORD_SIZE, index * RECORD_SIZE);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  return {
    async stagedRecords(id) {
      await release(id, false);
      const size = await stat(staged(id)).then(
        (s) => s.size,
        () => 0,
      );
      const whole = Math.floor(size / RECORD_SIZE);
      if (size !== whole * RECORD_SIZE) await truncate(staged(id), whole * RECORD_SIZE);
      return whole;
    },
    async writeRecord(id, index, record) {
      let handle = handles.get(id);
      if (!handle) {
        await mkdir(dirname(staged(id)), { recursive: true });
        handle = open(staged(id), constants.O_RDWR | constants.O_CREAT);
        handles.set(id, handle);
      }
      // Parts are written as they are (writev): no copy of a megabyte to join them.
      const parts = Buffer.isBuffer(record) ? [record] : record;
      await (await handle).writev(parts, index * RECORD_SIZE);
    },
    async writeRecordDurably(id, index, record) {
      let group = groups.get(id);
      if (!group) {
        await mkdir(dirname(staged(id)), { recursive: true });
        group = {
          handle: open(staged(id), constants.O_RDWR | constants.O_CREAT),
          users: 0,
          running: null,
          next: null,
        };
        groups.set(id, group);
      }
      group.users++;
      try {
        const handle = await group.handle;
        await handle.writev(Buffer.isBuffer(record) ? [record] : record, index * RECORD_SIZE);
        await groupSync(group, handle);
      } finally {
        if (--group.users === 0) {
          groups.delete(id);
          await (await group.handle).close();
        }
      }
    },
    sync: (id) => release(id, true),
    readStagedRecord: (id, index) => readAt(staged(id), index),
    async writeTail(id, index, record) {
      await mkdir(dirname(tail(id)), { recursive: true });
      const header = Buffer.alloc(8);
      header.writeBigUInt64BE(BigInt(index));
      const temporary = `${tail(id)}.tmp`;
      await writeFile(temporary, Buffer.concat([header, record]), { flush: true });
      await rename(temporary, tail(id));
    },
    async readTail(id) {
      const bytes = await readFile(tail(id)).catch(() => null);
      if (!bytes || bytes.length < 8) return null;
      return { index: Number(bytes.readBigUInt64BE(0)), record: bytes.subarray(8) };
    },
    async promote(id, key) {
      await release(id, true);
      await mkdir(dirname(blob(key)), { recursive: true });
      await mkdir(dirname(staged(id)), { recursive: true });
      // An empty upload has no staged file: its blob is an empty file.
      await writeFile(staged(id), Buffer.alloc(0), { flag: 'a' });
      await rename(staged(id), blob(key));
      await rm(tail(id), { force: true });
    },
    async discard(id) {
      await release(id, false);
      await rm(staged(id), { force: true });
      await rm(tail(id), { force: true });
      await rm(`${tail(id)}.tmp`, { force: true });
    },
    readRecord: (key, index) => readAt(blob(key), index),
    async writeLeaves(key, hashes) {
      await mkdir(dirname(leaves(key)), { recursive: true });
      const temporary = `${leaves(key)}.tmp`;
      await writeFile(temporary, hashes, { flush: true });
      await rename(temporary, leaves(key));
    },
    readLeaves: (key) => readFile(leaves(key)).catch(() => null),
    async deleteBlob(key) {
      await rm(blob(key), { force: true });
      await rm(leaves(key), { force: true });
    },
  };
}
