// Helpers of the exercise federation tests: the ransomware sample played on real nodes, the exercise
// messages a node queued, a message forged straight into a node's outbox, and the check that a node
// which never joined refused every message of a type, audited.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { enqueueMessage } from '../../src/federation/outbox-store.ts';
import { auditEntries, federationOutbox } from '../../src/store/schema/index.ts';
import { eventually, linkNodes, type NetNode, startNetNode } from '../federation/federation-network.ts';

export const WAIT = 120_000;
/** The ransomware wallet the ASEAN sample scenario (exercises/asean-ransomware.yaml) publishes. */
export const WALLET = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

/** Viet Nam (the controller), Thailand (joins) and Singapore (in the script, its node never joins), linked. */
export async function aseanNodes(): Promise<[NetNode, NetNode, NetNode]> {
  const nodes = await Promise.all([
    startNetNode({ state: 'VN' }),
    startNetNode({ state: 'TH' }),
    startNetNode({ state: 'SG' }),
  ]);
  await linkNodes(nodes);
  return nodes;
}

/** The shipped ransomware sample, with Singapore's hub and Thailand playing on their own nodes. */
export function ransomwareOnNodes() {
  const sample = parse(
    readFileSync(resolve(import.meta.dirname, '../../exercises/asean-ransomware.yaml'), 'utf8'),
  ) as {
    participants: { state: string; simulated?: boolean; behaviour?: unknown }[];
    expectedActions: unknown[];
  };
  for (const p of sample.participants)
    if (p.state === 'SG' || p.state === 'TH') {
      delete p.simulated;
      delete p.behaviour;
    }
  return sample;
}

/** The messages a node queued for a State in an exercise, of one type. */
export function outboxOf(node: NetNode, exerciseId: string, recipient: string, type: string) {
  return node.database.db
    .select()
    .from(federationOutbox)
    .where(
      and(
        eq(federationOutbox.exerciseId, exerciseId),
        eq(federationOutbox.recipient, recipient),
        eq(federationOutbox.messageType, type),
      ),
    );
}

/** Queues a message of the exercise straight into a node's outbox (what a faulty or hostile node sends). */
export async function forge(
  node: NetNode,
  exerciseId: string,
  recipient: string,
  type: string,
  body: unknown,
) {
  const id = await node.database.db.transaction((tx) =>
    enqueueMessage(
      tx,
      { recipient, type, requestId: null, body, exerciseId },
      node.ctx.clock.now(),
      3_600_000,
    ),
  );
  node.ctx.federation.sender.nudge();
  return id;
}

/** The outbox row of a message once it is no longer waiting (sent or dead). */
export function settled(node: NetNode, messageId: string, status: 'sent' | 'dead') {
  return eventually(
    async () => {
      const [row] = await node.database.db
        .select()
        .from(federationOutbox)
        .where(eq(federationOutbox.id, messageId));
      return row?.status === status ? row : undefined;
    },
    `message ${messageId} ${status}`,
    WAIT,
  );
}

/** The receiver never joined (or had ended): every message of the type was refused there, each audited. */
export async function refusedBy(
  sender: NetNode,
  receiver: NetNode,
  exerciseId: string,
  recipient: string,
  type: string,
) {
  const messages = await outboxOf(sender, exerciseId, recipient, type);
  assert.ok(messages.length > 0, `messages of type ${type} were queued for ${recipient}`);
  await eventually(
    async () => {
      const rows = await outboxOf(sender, exerciseId, recipient, type);
      return rows.every((r) => r.status === 'dead') ? rows : undefined;
    },
    `the ${type} messages refused by ${recipient}`,
    WAIT,
  );
  for (const message of await outboxOf(sender, exerciseId, recipient, type)) {
    assert.equal(message.lastErrorCode, 'ERR_EXERCISE_NOT_JOINED');
    const refusals = await receiver.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'federation.refuse'), eq(auditEntries.objectId, message.id)));
    // At least once: on a loaded machine an attempt that timed out is retried, and each one it refuses is audited.
    assert.ok(refusals.length >= 1, `${recipient} audited its refusal of ${message.id}`);
  }
}
