// An S3-compatible server (s3rver) on a loopback port, for the evidence tests on object storage, and a
// client that looks into the bucket the way an operator (or an intruder) would.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { EvidenceS3Config } from '../../src/config.ts';

export type S3Server = {
  /** The node's settings for a bucket of this server, under its own prefix. */
  config(prefix: string): EvidenceS3Config;
  /** The same as environment variables (for node processes). */
  env(prefix: string): Record<string, string>;
  /** Keys under a prefix of the bucket. */
  keys(prefix: string): Promise<string[]>;
  read(key: string): Promise<Buffer>;
  close(): Promise<void>;
};

const BUCKET = 'evidence';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3Server(): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'h247-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
  return {
    config: (prefix) => ({
      bucket: BUCKET,
      prefix,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    }),
    env: (prefix) => ({
      HANOI247_EVIDENCE_S3_BUCKET: BUCKET,
      HANOI247_EVIDENCE_S3_PREFIX: prefix,
      HANOI247_EVIDENCE_S3_ENDPOINT: endpoint,
      HANOI247_EVIDENCE_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      HANOI247_EVIDENCE_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }),
    async keys(Prefix) {
      const out: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix, ContinuationToken }),
        );
        for (const o of page.Contents ?? []) out.push(o.Key!);
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return out;
    },
    async read(Key) {
      const reply = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      return Buffer.from(await reply.Body!.transformToByteArray());
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * A bucket with a quota: a proxy in front of an S3-compatible server that refuses object writes once
 * `quotaBytes` of bodies have gone through, as a full MinIO does (507 XMinioStorageFull). Requests
 * are forwarded unchanged (Host included), so their signatures still hold.
 */
export async function quotaProxy(endpoint: string, quotaBytes: number) {
  const target = new URL(endpoint);
  let written = 0;
  const server = createServer((incoming, answer) => {
    const body: Buffer[] = [];
    incoming.on('data', (d: Buffer) => body.push(d));
    incoming.on('end', () => {
      const bytes = Buffer.concat(body);
      if (incoming.method === 'PUT' && written + bytes.length > quotaBytes) {
        answer.writeHead(507, { 'content-type': 'application/xml' });
        answer.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>XMinioStorageFull</Code><Message>Storage backend has reached its minimum free drive threshold.</Message></Error>',
        );
        return;
      }
      if (incoming.method === 'PUT') written += bytes.length;
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (reply) => {
          answer.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(answer);
        },
      );
      outgoing.on('error', () => answer.destroy());
      outgoing.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
