// Delivery over loopback between two real nodes (PGlite, and PostgreSQL when it answers): claim, sign, encrypt, POST,
// decrypt, verify, persist with the audit entry, signed receipt, receipt check, mark sent. Printed
// beside the crypto alone (seal + open + verify + receipt) measured in the same run. The receiving
// node runs in its own process (bench/federation-receiver.ts), so each node has a core, as two nodes
// on one machine would. BENCH_FEDERATION_SINGLE=1 sends every message alone (no batches);
// BENCH_FEDERATION_BATCH_SIZE sets how many messages a round claims (32, as a node does by default),
// BENCH_FEDERATION_ROUNDS how many rounds are in flight at once (as HANOI247_FEDERATION_ROUNDS; 3 by default).

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseConfig } from '../src/config.ts';
import { generateNodeKeys, type Jwk, signJson, verifyJson } from '../src/crypto/node-keys.ts';
import { buildDemoDirectory, type DirectoryDocument } from '../src/domain/directory/index.ts';
import { openBatch, sealBatch } from '../src/federation/batch-envelope.ts';
import {
  JWS_TYPE,
  openEnvelope,
  sealMessage,
  verifyMessage,
  verifySigned,
} from '../src/federation/envelope.ts';
import { DEFAULT_FEDERATION } from '../src/federation/federation-service.ts';
import { enqueueMessage } from '../src/federation/outbox-store.ts';
import { type RunningNode, startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import { uuidv7 } from '../src/shared/ids.ts';
import type { Database } from '../src/store/database.ts';
import { pingHeader } from '../test/federation/message-fixtures.ts';
import { benchDatabases } from './bench-database.ts';
import { benchClock as clock, BENCH_KEY_SECRET as SECRET } from './federation-node.ts';
import { envInt, fmt, percentile, printRows } from './lib.ts';

const singleOnly = process.env.BENCH_FEDERATION_SINGLE === '1';
const batchSize = envInt('BENCH_FEDERATION_BATCH_SIZE', 32);
// As many rounds in flight as a node's sender runs (HANOI247_FEDERATION_ROUNDS).
const rounds = envInt('BENCH_FEDERATION_ROUNDS', DEFAULT_FEDERATION.rounds);

async function node(state: string, database: Database): Promise<RunningNode> {
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    HANOI247_KEY_SECRET: SECRET,
    HANOI247_LOG_LEVEL: 'silent',
    HANOI247_NODE_STATE: state,
  });
  const running = await startNode(config, {
    database,
    clock,
    logger: createLogger('silent'),
    createKeysIfMissing: true,
    federation: { batchSize, batchDelivery: !singleOnly },
  });
  // Measured by hand below: the background sender would race the measurement.
  await running.ctx.federation.stop();
  const close = running.close;
  return { ...running, close };
}

type Endpoint = { state: string; url: string; signing: Jwk; encryption: Jwk };

/** The receiving node in a child process: its URL and keys, a way to give it the directory, and close. */
async function remoteNode(state: string, kind: string) {
  const child = spawn(process.execPath, ['bench/federation-receiver.ts', kind, state], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('the receiving node ended');
      // benchDatabases may print a note first: only JSON lines are answers.
      if (value.startsWith('{')) return JSON.parse(value) as Record<string, unknown>;
    }
  };
  const hello = await next();
  const endpoint: Endpoint = {
    state,
    url: hello.url as string,
    signing: hello.signing as Jwk,
    encryption: hello.encryption as Jwk,
  };
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    endpoint,
    async importDirectory(document: DirectoryDocument) {
      child.stdin!.write(`${JSON.stringify(document)}\n`);
      await next();
    },
    async close() {
      child.stdin!.end();
      await exited;
    },
  };
}

function directoryFor(endpoints: Endpoint[]): DirectoryDocument {
  const document = buildDemoDirectory();
  const validFrom = '2020-01-01T00:00:00Z';
  for (const e of endpoints) {
    const point = document.parties
      .find((p) => p.code === e.state)!
      .authorities.find((a) => a.kind === 'POINT_24_7')!;
    point.node = {
      url: e.url,
      signingKeys: [{ kid: e.signing.kid!, publicJwk: e.signing as { kty: string }, validFrom }],
      encryptionKeys: [{ kid: e.encryption.kid!, publicJwk: e.encryption as { kty: string }, validFrom }],
    };
  }
  return document;
}

export async function federationBench(): Promise<void> {
  const count = envInt('BENCH_FEDERATION_MESSAGES', 1000);
  // One database of each kind (PostgreSQL when it answers) for the sender; the receiver makes its own.
  const senders = await benchDatabases();
  try {
    for (const s of senders) await measure(count, s.name, s.database);
  } finally {
    for (const d of senders) await d.dispose();
  }
}

async function measure(count: number, kind: string, senderDb: Database): Promise<void> {
  const sender = await node('VN', senderDb);
  const receiver = await remoteNode('FR', kind);
  try {
    const keys = sender.ctx.keyring.publicKeys();
    const document = directoryFor([
      { state: 'VN', url: sender.url, signing: keys.signing, encryption: keys.encryption },
      receiver.endpoint,
    ]);
    await sender.ctx.directory.importDocument('bench', document, 'bench');
    await receiver.importDirectory(document);
    // The crypto alone runs here with keys of its own: the receiver's private keys stay in its process.
    const vnKeys = await generateNodeKeys();
    const frKeys = await generateNodeKeys();
    const body = {
      step: 'record_acknowledgement',
      status: 'acknowledged',
      inputs: { message: 'x'.repeat(512) },
    };

    // The crypto alone: what each delivery costs in signatures and encryption, without I/O.
    const cryptoStart = performance.now();
    for (let i = 0; i < count; i++) {
      const now = clock.now();
      const header = pingHeader(now);

      const sealed = await sealMessage(
        { header, body },
        (p, h) => signJson(p, vnKeys.signing.privateJwk, h),
        frKeys.encryption.publicJwk,
      );
      const opened = await openEnvelope(sealed.jwe, [frKeys.encryption.privateJwk]);
      await verifyMessage(opened, [vnKeys.signing.publicJwk]);
      const receipt = await signJson(
        { messageId: header.id, payloadSha256: opened.payloadSha256 },
        frKeys.signing.privateJwk,
      );
      await verifyJson(receipt, [frKeys.signing.publicJwk]);
    }
    const cryptoMs = performance.now() - cryptoStart;

    // The crypto alone of batches: each message signed and verified, one key agreement and one
    // receipt per batch.
    const batchCryptoStart = performance.now();
    for (let done = 0; done < count; done += batchSize) {
      const n = Math.min(batchSize, count - done);
      const headers = Array.from({ length: n }, () => pingHeader(clock.now()));
      const signed = await Promise.all(
        headers.map((header) => signJson({ header, body }, vnKeys.signing.privateJwk, { typ: JWS_TYPE })),
      );
      const route = { batch: uuidv7(), from: 'VN', to: 'FR', count: n };
      const jwe = await sealBatch(route, signed, frKeys.encryption.publicJwk);
      const opened = await openBatch(jwe, [frKeys.encryption.privateJwk]);
      await Promise.all(opened.messages.map((jws) => verifySigned(jws, [vnKeys.signing.publicJwk])));
      const receipt = await signJson(
        { batchId: route.batch, messages: headers.map((h) => ({ messageId: h.id })) },
        frKeys.signing.privateJwk,
      );
      await verifyJson(receipt, [frKeys.signing.publicJwk]);
    }
    const batchCryptoMs = performance.now() - batchCryptoStart;

    // Latency: one message at a time through the whole path.
    const latencies: number[] = [];
    const single = Math.min(count, 300);
    for (let i = 0; i < single; i++) {
      await sender.ctx.database.db.transaction((tx) =>
        enqueueMessage(tx, { recipient: 'FR', type: 'ping', requestId: null, body }, clock.now(), 3_600_000),
      );
      const t = performance.now();
      const handled = await sender.ctx.federation.sender.runOnce();
      latencies.push(performance.now() - t);
      if (handled !== 1) throw new Error(`expected one delivery, got ${handled}`);
    }
    latencies.sort((a, b) => a - b);

    // Throughput: a queue of messages drained by one sender (one batch per peer and round).
    await sender.ctx.database.db.transaction(async (tx) => {
      for (let i = 0; i < count; i++)
        await enqueueMessage(
          tx,
          { recipient: 'FR', type: 'ping', requestId: null, body },
          clock.now(),
          3_600_000,
        );
    });
    const drainStart = performance.now();
    let sent = 0;
    // As the node's sender does: `rounds` rounds in flight, each claiming its own batch.
    await Promise.all(
      Array.from({ length: rounds }, async () => {
        for (
          let n = await sender.ctx.federation.sender.runOnce();
          n > 0;
          n = await sender.ctx.federation.sender.runOnce()
        )
          sent += n;
      }),
    );
    if (sent !== count) throw new Error(`the queue stalled after ${sent} of ${count} messages`);
    const drainMs = performance.now() - drainStart;
    const dead = await sender.ctx.federation.listMessages('dead');
    if (dead.length > 0) throw new Error(`${dead.length} messages failed: ${dead[0]!.lastErrorCode}`);

    const cryptoPerMsg = cryptoMs / count;
    const perSecond = (count / drainMs) * 1000;
    const batchCryptoPerSecond = (count / batchCryptoMs) * 1000;
    const how = `${singleOnly ? `each alone, ${batchSize} a round` : `batches of ${batchSize}`}, ${rounds} rounds in flight`;
    printRows(
      `federation: delivery over loopback, ${kind} (${count} messages), receiver in its own process`,
      [
        {
          figure: `delivered messages/s (queue drained, ${how})`,
          value: fmt(perSecond, 0),
          baseline: `${fmt(1000 / cryptoPerMsg, 0)} msg/s crypto alone`,
          ratio: `${fmt(1000 / cryptoPerMsg / perSecond, 1)}× slower than crypto`,
        },
        {
          figure: `delivered messages/s (as above)`,
          value: fmt(perSecond, 0),
          baseline: `${fmt(batchCryptoPerSecond, 0)} msg/s crypto alone, batches of ${batchSize}`,
          ratio: `${fmt(batchCryptoPerSecond / perSecond, 1)}× slower than crypto`,
        },
        {
          figure: `one delivery p50 (of ${single})`,
          value: `${fmt(percentile(latencies, 50), 2)} ms`,
          baseline: `${fmt(cryptoPerMsg, 3)} ms crypto alone`,
          ratio: `${fmt(percentile(latencies, 50) / cryptoPerMsg, 1)}×`,
        },
        {
          figure: `one delivery p99 (of ${single})`,
          value: `${fmt(percentile(latencies, 99), 2)} ms`,
          baseline: `${fmt(cryptoPerMsg, 3)} ms crypto alone`,
          ratio: `${fmt(percentile(latencies, 99) / cryptoPerMsg, 1)}×`,
        },
      ],
    );
  } finally {
    await sender.close();
    await receiver.close();
  }
}
