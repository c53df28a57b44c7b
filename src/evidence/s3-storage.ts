// Evidence in S3-compatible object storage (AWS S3, MinIO, Ceph, Garage…), for production nodes.
// The records written are exactly those of the folder store: each chunk already sealed under the
// blob's own data key (evidence-crypto.ts), so the bucket holds nothing readable without the node's
// key secret. Layout under the configured prefix:
//   chunks/<upload>/<index, 10 digits>  one sealed chunk record per object (a PUT is whole or absent)
//   tails/<upload>                      the sealed partial chunk that follows the whole records
//   blobs/<sha256>                      a pointer naming the upload whose chunks hold those bytes
// Object stores cannot rename, so a finished upload is promoted by writing its pointer: one small PUT
// whatever the size of the file, instead of copying every chunk.
import type { S3Client } from '@aws-sdk/client-s3';
import type { EvidenceS3Config } from '../config.ts';
import { RECORD_SIZE } from './evidence-crypto.ts';
import type { EvidenceStorage } from './evidence-storage.ts';

type S3Module = typeof import('@aws-sdk/client-s3');

const pad = (index: number) => String(index).padStart(10, '0');

/** An S3 error that means "no such object". */
function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** A full bucket or exceeded quota is reported as a full disk is, so an upload keeps its offset. */
function asStorageError(error: unknown): unknown {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? e?.Code ?? '';
  if (
    e?.$metadata?.httpStatusCode === 507 ||
    ['XMinioStorageFull', 'QuotaExceeded', 'XAmzQuotaExceeded', 'InsufficientStorage'].includes(name)
  )
    return Object.assign(new Error(`object storage is full (${name || '507'})`), {
      code: 'EDQUOT',
      cause: error,
    });
  return error;
}

export function s3Storage(config: EvidenceS3Config): EvidenceStorage & { close(): void } {
  // The SDK is loaded only by nodes that use it: the CLI and folder nodes start without it.
  let loaded: Promise<{ sdk: S3Module; client: S3Client }> | null = null;
  function s3() {
    loaded ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: config.region,
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        forcePathStyle: config.forcePathStyle,
        ...(config.credentials ? { credentials: config.credentials } : {}),
        // A chunk is checked by its GCM tag and the Merkle tree; the SDK's own checksums (CRC32 of
        // every body) would be a third pass over each megabyte, and some S3-compatible services
        // reject the newer checksum headers.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    }));
    return loaded;
  }
  const Bucket = config.bucket;
  const chunkKey = (id: string, index: number) => `${config.prefix}chunks/${id}/${pad(index)}`;
  const chunkPrefix = (id: string) => `${config.prefix}chunks/${id}/`;
  const tailKey = (id: string) => `${config.prefix}tails/${id}`;
  const blobKey = (sha: string) => `${config.prefix}blobs/${sha}`;
  const leavesKey = (sha: string) => `${config.prefix}leaves/${sha}`;
  // Which upload's chunks hold a blob: read once per blob, dropped when the blob changes here.
  const pointers = new Map<string, string>();

  async function get(Key: string): Promise<Buffer | null> {
    const { sdk, client } = await s3();
    try {
      const reply = await client.send(new sdk.GetObjectCommand({ Bucket, Key }));
      return Buffer.from(await reply.Body!.transformToByteArray());
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function put(Key: string, Body: Buffer): Promise<void> {
    const { sdk, client } = await s3();
    try {
      await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body, ContentLength: Body.length }));
    } catch (error) {
      throw asStorageError(error);
    }
  }

  /** Every object under a prefix, in key order, with its size. */
  async function list(Prefix: string): Promise<{ key: string; size: number }[]> {
    const { sdk, client } = await s3();
    const out: { key: string; size: number }[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
      for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return out;
  }

  async function remove(keys: string[]): Promise<void> {
    const { sdk, client } = await s3();
    // One request per key: DeleteObjects needs a Content-MD5 some services insist on and others lack.
    for (const Key of keys) await client.send(new sdk.DeleteObjectCommand({ Bucket, Key }));
  }

  async function removeChunks(id: string): Promise<void> {
    await remove((await list(chunkPrefix(id))).map((o) => o.key));
  }

  async function pointer(sha: string): Promise<string> {
    const cached = pointers.get(sha);
    if (cached) return cached;
    const bytes = await get(blobKey(sha));
    if (!bytes)
      throw Object.assign(new Error(`evidence blob ${sha} is not in the bucket`), { code: 'ENOENT' });
    const id = bytes.toString('utf8');
    pointers.set(sha, id);
    return id;
  }

  async function readChunk(id: string, index: number): Promise<Buffer> {
    // Past the end reads as empty, as a read past the end of a file does.
    return (await get(chunkKey(id, index))) ?? Buffer.alloc(0);
  }

  return {
    async stagedRecords(id) {
      // A PUT is atomic, so there are no torn records; whole records are counted up to the first gap
      // or short one (the last chunk of a file, written only when the upload finishes).
      let whole = 0;
      for (const o of await list(chunkPrefix(id))) {
        if (o.key !== chunkKey(id, whole) || o.size !== RECORD_SIZE) break;
        whole++;
      }
      return whole;
    },
    writeRecord: (id, index, record) =>
      put(chunkKey(id, index), Buffer.isBuffer(record) ? record : Buffer.concat(record)),
    writeRecordDurably: (id, index, record) =>
      put(chunkKey(id, index), Buffer.isBuffer(record) ? record : Buffer.concat(record)),
    // A PUT that answered is durable: nothing more to flush.
    async sync() {},
    readStagedRecord: readChunk,
    async writeTail(id, index, record) {
      const header = Buffer.alloc(8);
      header.writeBigUInt64BE(BigInt(index));
      await put(tailKey(id), Buffer.concat([header, record]));
    },
    async readTail(id) {
      const bytes = await get(tailKey(id));
      if (!bytes || bytes.length < 8) return null;
      return { index: Number(bytes.readBigUInt64BE(0)), record: bytes.subarray(8) };
    },
    async promote(id, sha) {
      // Bytes deleted under retention and stored again: the old chunks (if any are left) go first.
      const previous = await get(blobKey(sha));
      if (previous && previous.toString('utf8') !== id) await removeChunks(previous.toString('utf8'));
      await put(blobKey(sha), Buffer.from(id, 'utf8'));
      pointers.set(sha, id);
      await remove([tailKey(id)]);
    },
    async discard(id) {
      await removeChunks(id);
      await remove([tailKey(id)]);
    },
    async readRecord(sha, index) {
      return readChunk(await pointer(sha), index);
    },
    writeLeaves: (sha, leaves) => put(leavesKey(sha), leaves),
    readLeaves: (sha) => get(leavesKey(sha)).catch(() => null),
    async deleteBlob(sha) {
      await remove([leavesKey(sha)]);
      const bytes = await get(blobKey(sha));
      pointers.delete(sha);
      if (!bytes) return;
      await removeChunks(bytes.toString('utf8'));
      await remove([blobKey(sha)]);
    },
    close() {
      void loaded?.then(({ client }) => client.destroy());
    },
  };
}
