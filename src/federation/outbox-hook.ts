// Turns a step on a request into the message the partner's node must receive, written to the
// outbox in the step's own transaction: the state change and the message commit together or not at all.
import { carriedInputs, messageForStep } from '../domain/federation/index.ts';
import type { TransitionHook } from '../requests/request-service.ts';
import { directoryReader } from './directory-reader.ts';
import { enqueueMessage } from './outbox-store.ts';
import { findPeer } from './peers.ts';

const NOT_YET_SENT = new Set(['draft', 'pending_approval', 'approved']);

/** The hook the request service runs in every transition. */
export function createOutboxHook(options: { lifetimeMs: number }): TransitionHook {
  const readDirectory = directoryReader();
  return async (tx, change) => {
    const { row } = change;
    const rule = messageForStep(row.direction, change.action);
    if (!rule) return;
    // Withdrawing a request the partner never got tells the partner nothing.
    if (rule.type === 'withdrawal' && NOT_YET_SENT.has(change.from)) return;
    const document = await readDirectory(tx);
    // A partner without a node gets the printable form; nothing to send over the network.
    if (!document || !findPeer(document, row.partnerState, change.realNow)) return;
    const body =
      rule.type === 'request'
        ? { request: { type: row.type, body: row.body } }
        : { step: rule.applies, status: change.to, inputs: carriedInputs(rule, change.input) };
    // An exercise's message carries its id in the signed header; it leaves at the node's real time
    // (the partner checks freshness against its own clock), whatever the exercise's clock says.
    await enqueueMessage(
      tx,
      { recipient: row.partnerState, type: rule.type, requestId: row.id, body, exerciseId: row.exerciseId },
      change.realNow,
      options.lifetimeMs,
    );
  };
}
