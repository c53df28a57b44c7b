// Evidence package transfer between two node processes on loopback (France in this process sends,
// Viet Nam in a child process receives: offer, per-chunk encryption, Merkle check, storage, receipt),
// against a plain HTTP copy of the same file by curl to a bare server process in the same run; the RSS
// growth of both nodes; then a second package with the receiver killed (SIGKILL) at 30, 60 and 90 %
// of its chunks: what is sent again after each restart, and whether the hashes end equal.
// BENCH_TRANSFER_MB sets the file size (128 by default; 2048 for the 2 GB figure);
// BENCH_TRANSFER_KILLS=0 leaves out the kills.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_SIZE } from '../src/evidence/evidence-crypto.ts';
import { processRss, transferRig } from '../test/evidence/transfer-processes.ts';
import { freePorts } from '../test/federation/node-process.ts';
import { envInt, fmt, printRows, writeRandomFile } from './lib.ts';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(piece);
  return hash.digest('hex');
}

/** CPU time (user and system) a process has used so far, from /proc (Linux), in seconds. */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command; in clock ticks.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples a resident size every 50 ms; `stop` gives the growth over the first sample. */
function rssWatch(read: () => number) {
  const base = read();
  let peak = base;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, read());
    } catch {}
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak - base;
    },
  };
}

/** The baseline: curl PUTs the file to a bare node process that writes it to disk. */
async function plainCopyMs(file: string, target: string): Promise<number> {
  const [port] = (await freePorts(1)) as [number];
  const script = `
    const { createServer } = require('node:http');
    const { createWriteStream } = require('node:fs');
    const { pipeline } = require('node:stream/promises');
    createServer(async (req, res) => {
      if (req.method !== 'PUT') return res.end('ok');
      await pipeline(req, createWriteStream(${JSON.stringify(target)}));
      res.end('stored');
    }).listen(${port}, '127.0.0.1');`;
  const server = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 20_000;
    while (
      !(await fetch(url).then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('the plain HTTP server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = performance.now();
    const curl = spawnSync('curl', ['-sS', '-T', file, `${url}/copy`], { encoding: 'utf8' });
    if (curl.status !== 0) throw new Error(`curl failed: ${curl.stderr}`);
    return performance.now() - started;
  } finally {
    server.kill();
  }
}

/** Median time of writing 1 MiB and fdatasync-ing it, on the disk of the temporary folder. */
async function syncLatencyMs(path: string): Promise<number> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(CHUNK_SIZE, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      await handle.write(block, 0, block.length, i * block.length);
      await handle.datasync();
      times.push(performance.now() - started);
    }
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
  return times.sort((a, b) => a - b)[4]!;
}

export async function evidenceTransferBench(): Promise<void> {
  const megabytes = envInt('BENCH_TRANSFER_MB', 128);
  const bytes = megabytes * 1024 * 1024;
  const chunks = Math.ceil(bytes / CHUNK_SIZE);
  const work = join(tmpdir(), `h247-bench-transfer-${process.pid}`);
  const first = `${work}-a.bin`;
  const second = `${work}-b.bin`;
  await writeRandomFile(first, bytes);
  await writeRandomFile(second, bytes);
  const rig = await transferRig('folder');
  try {
    const copyMs = await plainCopyMs(first, `${work}-copy.bin`);
    const syncMs = await syncLatencyMs(`${work}-sync.bin`);
    const packageId = await rig.packageOf(first);
    const fr = rssWatch(() => process.memoryUsage.rss());
    const vn = rssWatch(() => processRss(rig.vn()!.child.pid!));
    const vnPid = rig.vn()!.child.pid!;
    const cpuBefore = [processCpuSeconds(process.pid), processCpuSeconds(vnPid)];
    const started = performance.now();
    let offeredAt = 0;
    let lastChunkAt = 0;
    const report = await rig.send(packageId, {
      afterOffer: () => {
        offeredAt = performance.now();
      },
      afterChunk: () => {
        lastChunkAt = performance.now();
      },
    });
    const sendMs = performance.now() - started;
    const [frCpu, vnCpu] = [processCpuSeconds(process.pid), processCpuSeconds(vnPid)].map(
      (after, i) => after - cpuBefore[i]!,
    ) as [number, number];
    const phases = {
      offer: offeredAt - started,
      chunks: lastChunkAt - offeredAt,
      complete: started + sendMs - lastChunkAt,
    };
    const [frGrowth, vnGrowth] = [fr.stop(), vn.stop()];
    const sentEqual = (await rig.receivedHashes(packageId))[0] === (await sha256Of(first));

    const mbps = (ms: number) => megabytes / (ms / 1000);
    printRows(
      `evidence transfer (${megabytes} MiB, ${chunks} chunks; sender in this process, receiver a node process on loopback)`,
      [
        {
          figure: 'package transfer throughput (offer to receipt)',
          value: `${fmt(mbps(sendMs))} MiB/s`,
          baseline: `curl copy ${fmt(mbps(copyMs))} MiB/s`,
          ratio: `${fmt((100 * copyMs) / sendMs)} %`,
        },
        {
          figure: 'of which: offer / chunks / verification and receipt',
          value: `${fmt(phases.offer / 1000, 2)} s / ${fmt(phases.chunks / 1000, 2)} s / ${fmt(phases.complete / 1000, 2)} s`,
          baseline: `curl copy ${fmt(copyMs / 1000, 2)} s`,
          ratio: '-',
        },
        {
          figure: 'CPU time (user + system): sender / receiver',
          value: `${fmt(frCpu, 2)} s / ${fmt(vnCpu, 2)} s`,
          baseline: `transfer ${fmt(sendMs / 1000, 2)} s`,
          ratio: '-',
        },
        {
          figure: 'disk: write 1 MiB + fdatasync (median of 9)',
          value: `${fmt(syncMs)} ms`,
          baseline: 'the receiver syncs before it acknowledges; curl does not',
          ratio: '-',
        },
        {
          figure: 'sender RSS growth',
          value: `${fmt(frGrowth / 1024 / 1024)} MiB`,
          baseline: `file ${megabytes} MiB`,
          ratio: `${fmt((100 * frGrowth) / bytes, 2)} %`,
        },
        {
          figure: 'receiver RSS growth',
          value: `${fmt(vnGrowth / 1024 / 1024)} MiB`,
          baseline: `file ${megabytes} MiB`,
          ratio: `${fmt((100 * vnGrowth) / bytes, 2)} %`,
        },
        {
          figure: 'received SHA-256 equals the file',
          value: String(sentEqual && report.sent === chunks),
          baseline: `${report.sent} chunks sent`,
          ratio: '-',
        },
      ],
    );
    // Printed apart, after the figures above: three restarts of a node take long on a loaded machine.
    if (!envInt('BENCH_TRANSFER_KILLS', 1)) return;
    const resumed = await rig.packageOf(second);
    const { kills } = await rig.sendWithKills(
      resumed,
      [0.3, 0.6, 0.9].map((f) => Math.round(f * chunks)),
    );
    const resumedEqual = (await rig.receivedHashes(resumed))[0] === (await sha256Of(second));
    printRows(
      `evidence transfer resumed (${megabytes} MiB, ${chunks} chunks; receiver killed with SIGKILL)`,
      [
        ...kills.map((kill, i) => ({
          figure: `killed at ${[30, 60, 90][i]} %: acknowledged chunks sent again`,
          value: `${kill.resent} (${fmt((kill.resent * CHUNK_SIZE) / 1024 / 1024)} MiB)`,
          baseline: `${kill.acknowledged} acknowledged, ${kill.held} held after restart`,
          ratio: `${fmt(kill.resent, 0)} chunk`,
        })),
        {
          figure: 'after three kills, SHA-256 equals the file',
          value: String(resumedEqual),
          baseline: '-',
          ratio: '-',
        },
      ],
    );
  } finally {
    await rig.close();
    await Promise.all([first, second, `${work}-copy.bin`].map((f) => rm(f, { force: true })));
  }
}
