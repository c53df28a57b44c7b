// Delivery over loopback between two real nodes (PGlite, and PostgreSQL when it answers): claim, sign, encrypt, POST,
// decrypt, verify, persist with the audit entry, signed receipt, receipt check, mark sent. Printed
// beside the crypto alone (seal + open + verify + receipt) measured in the same run.

import { parseConfig } from '../src/config.ts';
import { signJson, verifyJson } from '../src/crypto/node-keys.ts';
import { buildDemoDirectory } from '../src/domain/directory/index.ts';
import { openEnvelope, sealMessage, verifyMessage } from '../src/federation/envelope.ts';
import { enqueueMessage } from '../src/federation/outbox-store.ts';
import { type RunningNode, startNode } from '../src/main.ts';
import { createLogger } from '../src/observability/logger.ts';
import type { Database } from '../src/store/database.ts';
import { pingHeader } from '../test/federation/message-fixtures.ts';
import { benchDatabases } from './bench-database.ts';
import { envInt, fmt, percentile, printRows } from './lib.ts';

const SECRET = 'bench-key-secret-0123456789';
// The demo directory has the Convention in force from this date.
const clock = { now: () => new Date(Date.now() + (Date.parse('2027-01-05T10:00:00Z') - START)) };
const START = Date.now();

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
  });
  // Measured by hand below: the background sender would race the measurement.
  await running.ctx.federation.stop();
  const close = running.close;
  return { ...running, close };
}

async function link(nodes: RunningNode[]): Promise<void> {
  const document = buildDemoDirectory();
  for (const n of nodes) {
    const point = document.parties
      .find((p) => p.code === n.ctx.config.nodeState)!
      .authorities.find((a) => a.kind === 'POINT_24_7')!;
    const keys = n.ctx.keyring.publicKeys();
    point.node = {
      url: n.url,
      signingKeys: [
        {
          kid: keys.signing.kid!,
          publicJwk: keys.signing as { kty: string },
          validFrom: '2020-01-01T00:00:00Z',
        },
      ],
      encryptionKeys: [
        {
          kid: keys.encryption.kid!,
          publicJwk: keys.encryption as { kty: string },
          validFrom: '2020-01-01T00:00:00Z',
        },
      ],
    };
  }
  for (const n of nodes) await n.ctx.directory.importDocument('bench', document, 'bench');
}

export async function federationBench(): Promise<void> {
  const count = envInt('BENCH_FEDERATION_MESSAGES', 1000);
  // One database per node, of each kind (PostgreSQL when it answers).
  const senders = await benchDatabases();
  const receivers = await benchDatabases();
  try {
    for (let i = 0; i < Math.min(senders.length, receivers.length); i++) {
      await measure(count, senders[i]!.name, senders[i]!.database, receivers[i]!.database);
    }
  } finally {
    for (const d of [...senders, ...receivers]) await d.dispose();
  }
}

async function measure(count: number, kind: string, senderDb: Database, receiverDb: Database): Promise<void> {
  const sender = await node('VN', senderDb);
  const receiver = await node('FR', receiverDb);
  try {
    await link([sender, receiver]);
    const vnKeys = sender.ctx.keyring.privateKeys();
    const frKeys = receiver.ctx.keyring.privateKeys();
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

    // Throughput: a queue of messages drained by one sender (batches sent concurrently).
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
    while (sent < count) {
      const n = await sender.ctx.federation.sender.runOnce();
      if (n === 0) throw new Error('the queue stalled');
      sent += n;
    }
    const drainMs = performance.now() - drainStart;
    const dead = await sender.ctx.federation.listMessages('dead');
    if (dead.length > 0) throw new Error(`${dead.length} messages failed: ${dead[0]!.lastErrorCode}`);

    const cryptoPerMsg = cryptoMs / count;
    const perSecond = (count / drainMs) * 1000;
    printRows(`federation: delivery over loopback, ${kind} (${count} messages)`, [
      {
        figure: 'delivered messages/s (queue drained, batches of 32)',
        value: fmt(perSecond, 0),
        baseline: `${fmt(1000 / cryptoPerMsg, 0)} msg/s crypto alone`,
        ratio: `${fmt(1000 / cryptoPerMsg / perSecond, 1)}× slower than crypto`,
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
    ]);
  } finally {
    await sender.close();
    await receiver.close();
  }
}
