// Applies a verified message to this node's copy of a request, inside the inbox transaction: a
// request message creates the received copy (with the requesting node's id); any other message
// takes the matching step on our copy, through the same life-cycle rules as an officer's step.
import { eq } from 'drizzle-orm';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import {
  carriedInputs,
  isExerciseMessage,
  type MessageHeader,
  receiverDirection,
  ruleForMessage,
} from '../domain/federation/index.ts';
import { HANDLER_ROLES } from '../domain/requests/index.ts';
import type { RequestActor, RequestService } from '../requests/request-service.ts';
import { existingIds } from '../requests/request-store.ts';
import { AppError, ValidationError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import { requests } from '../store/schema/index.ts';
import { PeerProtocolError } from './federation-errors.ts';

/** Messages that carry no step: a reachability check. */
export const PING = 'ping';

function peerActor(party: string): RequestActor {
  return { id: `node:${party}`, roles: HANDLER_ROLES };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** What an applied message leaves to do once its transaction has committed (in-memory state). */
export type AfterCommit = () => void;

export type ApplyMessage = (
  tx: Db,
  header: MessageHeader,
  body: unknown,
  document: DirectoryDocument,
) => Promise<void | AfterCommit>;

/** Handlers of message types that are not steps of a request (the hub's 'alert'), by type. */
export type ExtraHandlers = Map<string, ApplyMessage>;

/** Throws when a message's exercise is not one this node has joined (ERR_EXERCISE_NOT_JOINED). */
export type ExerciseGate = (tx: Db, header: MessageHeader) => Promise<void>;

/** Without a gate, a node has joined no exercise: all exercise traffic is refused. */
const NO_EXERCISES: ExerciseGate = async (_tx, header) => {
  if (header.exerciseId)
    throw new AppError(
      'ERR_EXERCISE_NOT_JOINED',
      409,
      `This node has not joined exercise ${header.exerciseId}.`,
    );
};

export function createProtocolHandlers(
  requestService: RequestService,
  extra: ExtraHandlers = new Map(),
  exerciseGate: ExerciseGate = NO_EXERCISES,
): ApplyMessage {
  async function createReceivedCopy(
    tx: Db,
    header: MessageHeader,
    body: unknown,
    document: DirectoryDocument,
    afterCommit: (step: AfterCommit) => void,
  ) {
    const request = asObject(asObject(body)?.request);
    const fields = asObject(request?.body);
    if (!request || !fields || typeof request.type !== 'string')
      throw new PeerProtocolError('A request message carries { request: { type, body } }.');
    if (header.exerciseId) fields.exerciseId = header.exerciseId;
    if (fields.requestingState !== header.from)
      throw new PeerProtocolError(
        `The request names ${String(fields.requestingState)} as requesting State, not the sender ${header.from}.`,
      );
    // Links name requests of the requesting node; keep only those this node also holds.
    const links = (fields.linkedRequestIds as string[] | undefined) ?? [];
    const known = await existingIds(
      tx,
      links.filter((l) => typeof l === 'string'),
    );
    const copy: Record<string, unknown> = { ...fields, type: request.type, direction: 'INCOMING' };
    if (links.length > 0) copy.linkedRequestIds = links.filter((l) => known.has(l));
    if (
      typeof fields.linkedPreservationId === 'string' &&
      !(await existingIds(tx, [fields.linkedPreservationId])).size
    )
      delete copy.linkedPreservationId;
    await requestService.create(peerActor(header.from), copy, {
      tx,
      afterCommit,
      document,
      id: header.requestId!,
    });
  }

  async function applyRequestStep(
    tx: Db,
    header: MessageHeader,
    body: unknown,
    document: DirectoryDocument,
    afterCommit: (step: AfterCommit) => void,
  ): Promise<void> {
    const rule = ruleForMessage(header.type);
    if (!rule) throw new PeerProtocolError(`Unknown message type '${header.type}'.`);
    if (!header.requestId) throw new PeerProtocolError(`A '${header.type}' message must name its request.`);
    try {
      if (rule.applies === null) {
        await createReceivedCopy(tx, header, body, document, afterCommit);
        return;
      }
      const [copy] = await tx
        .select({
          direction: requests.direction,
          partner: requests.partnerState,
          exerciseId: requests.exerciseId,
        })
        .from(requests)
        .where(eq(requests.id, header.requestId));
      if (!copy || copy.partner !== header.from || copy.direction !== receiverDirection(rule))
        throw new PeerProtocolError(`This node holds no request ${header.requestId} with ${header.from}.`);
      // Exercise traffic steps only its exercise's requests, and real traffic only real ones.
      if ((copy.exerciseId ?? null) !== (header.exerciseId ?? null))
        throw new PeerProtocolError(`Request ${header.requestId} does not belong to the message's exercise.`);
      // Only the inputs the step carries: a peer cannot assign our officers or skip version checks.
      const inputs = carriedInputs(rule, asObject(asObject(body)?.inputs) ?? {});
      await requestService.transition(
        peerActor(header.from),
        header.requestId,
        { ...inputs, action: rule.applies },
        { tx, afterCommit },
      );
    } catch (error) {
      if (error instanceof PeerProtocolError) throw error;
      if (error instanceof AppError) {
        throw new PeerProtocolError(`The '${header.type}' message cannot be applied: ${error.message}`, {
          cause: error.code,
          ...(error instanceof ValidationError ? { errors: error.errors } : (error.details ?? {})),
        });
      }
      throw error;
    }
  }

  return async (tx, header, body, document) => {
    await exerciseGate(tx, header);
    if (header.type === PING) return;
    const handler = extra.get(header.type);
    // Exercise traffic is made of request steps and the exercise's own messages only: the hub's
    // alerts never carry an exercise, and an exercise message always does.
    if (handler && Boolean(header.exerciseId) !== isExerciseMessage(header.type))
      throw new PeerProtocolError(
        header.exerciseId
          ? `A '${header.type}' message cannot belong to an exercise.`
          : `A '${header.type}' message must name its exercise.`,
      );
    if (handler) return handler(tx, header, body, document);
    const steps: AfterCommit[] = [];
    const afterCommit = (step: AfterCommit) => steps.push(step);
    await applyRequestStep(tx, header, body, document, afterCommit);
    return () => {
      for (const step of steps) step();
    };
  };
}
