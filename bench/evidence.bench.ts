// Hashing while uploading: a file sent to a node by tus (one PATCH, streamed), hashed (SHA-256 and the
// chunk Merkle tree), sealed chunk by chunk (AES-256-GCM) and written, against `openssl sha256` of the
// same file in the same run; and the node's RSS growth during the upload. The node runs in its own
// process (bench/evidence-node.ts). BENCH_EVIDENCE_MB sets the file size (256 by default; 4096 for the
// issue's 4 GB figure).
import { fork, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUpload, patchUpload, uploadFile } from '../src/evidence/tus-client.ts';
import { envInt, fmt, printRows, writeRandomFile } from './lib.ts';

/** CPU time (user + system, ms) of this process's finished children, from /proc (Linux); NaN elsewhere. */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // Fields 16 and 17 of stat(5) (cutime, cstime), counted after the ") " that ends field 2.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function evidenceBench(): Promise<void> {
  const megabytes = envInt('BENCH_EVIDENCE_MB', 256);
  const bytes = megabytes * 1024 * 1024;
  const file = join(tmpdir(), `h247-bench-evidence-${process.pid}.bin`);
  await writeRandomFile(file, bytes);
  const child = fork('bench/evidence-node.ts', [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_NODE_FLAGS: V8 or node flags for the node (e.g. --trace-gc).
    execArgv: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  });
  const next = () => new Promise<unknown>((resolve) => child.once('message', resolve));
  try {
    const ready = (await next()) as {
      url: string;
      drainUrl: string;
      token: string;
      requestId: string;
      storage: string;
    };
    // The transport's ceiling: the same file, the same client, to a server that only reads the bytes.
    child.send('cpu');
    await next();
    const drainStart = performance.now();
    await patchUpload(
      { baseUrl: ready.drainUrl, headers: {} },
      'drain',
      0,
      createReadStream(file, { highWaterMark: 1024 * 1024 }),
    );
    const drainMs = performance.now() - drainStart;
    child.send('cpu');
    const drainCpu = (await next()) as { cpuMs: number };
    const started = performance.now();
    const childCpu = childrenCpuMs();
    const openssl = spawnSync('openssl', ['sha256', file], { encoding: 'utf8' });
    const opensslMs = performance.now() - started;
    const opensslCpuMs = childrenCpuMs() - childCpu;
    const expected = /([0-9a-f]{64})/.exec(openssl.stdout)?.[1];
    child.send('rss');
    await next(); // resets the node's peak
    const options = { baseUrl: ready.url, headers: { authorization: `Bearer ${ready.token}` } };
    const uploadStart = performance.now();
    const uploadId = await createUpload(options, ready.requestId, bytes, {
      filename: 'bench.bin',
      description: 'bench',
      source: 'bench',
      acquiredAt: new Date().toISOString(),
      acquiredBy: 'bench',
    });
    const itemId = await uploadFile(options, uploadId, file);
    const uploadMs = performance.now() - uploadStart;
    child.send('rss');
    const rss = (await next()) as { base: number; peak: number; cpuMs: number };
    const item = await fetch(`${ready.url}/api/v1/evidence/items/${itemId}`, {
      headers: options.headers,
    }).then((r) => r.json());
    const mbps = (ms: number) => megabytes / (ms / 1000);
    printRows(
      `evidence upload (${megabytes} MiB, tus, hash + Merkle + AES-256-GCM + write; node on ${ready.storage})`,
      [
        {
          figure: 'upload throughput',
          value: `${fmt(mbps(uploadMs))} MiB/s`,
          baseline: `openssl sha256 ${fmt(mbps(opensslMs))} MiB/s`,
          ratio: `${fmt((100 * opensslMs) / uploadMs)} %`,
        },
        {
          figure: 'the same upload to a server that only reads it',
          value: `${fmt(mbps(drainMs))} MiB/s`,
          baseline: `openssl sha256 ${fmt(mbps(opensslMs))} MiB/s`,
          ratio: `${fmt((100 * opensslMs) / drainMs)} %`,
        },
        {
          figure: 'upload throughput against that transport ceiling',
          value: `${fmt(mbps(uploadMs))} MiB/s`,
          baseline: `read-only server ${fmt(mbps(drainMs))} MiB/s`,
          ratio: `${fmt((100 * drainMs) / uploadMs)} %`,
        },
        {
          figure: 'node CPU time for the upload (all threads)',
          value: `${fmt(rss.cpuMs / megabytes, 2)} ms/MiB`,
          baseline: `openssl sha256 ${fmt(opensslCpuMs / megabytes, 2)} ms/MiB`,
          ratio: `${fmt((100 * opensslCpuMs) / rss.cpuMs)} %`,
        },
        {
          figure: 'node CPU time for the read-only upload',
          value: `${fmt(drainCpu.cpuMs / megabytes, 2)} ms/MiB`,
          baseline: `openssl sha256 ${fmt(opensslCpuMs / megabytes, 2)} ms/MiB`,
          ratio: `${fmt((100 * opensslCpuMs) / drainCpu.cpuMs)} %`,
        },
        {
          figure: 'node RSS growth during the upload',
          value: `${fmt((rss.peak - rss.base) / 1024 / 1024)} MiB`,
          baseline: `file ${megabytes} MiB`,
          ratio: `${fmt((100 * (rss.peak - rss.base)) / bytes, 2)} %`,
        },
        {
          figure: 'SHA-256 equals openssl',
          value: String(item.sha256 === expected),
          baseline: expected?.slice(0, 16) ?? 'openssl missing',
          ratio: '-',
        },
      ],
    );
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(file, { force: true });
  }
}
