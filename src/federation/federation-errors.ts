// Why a node refuses a message from a peer. Each has a stable code; the sender stores the code of
// the refusal it got, and only a refusal that may change later (see retry-policy) is retried.
import { AppError } from '../shared/errors.ts';

export class PeerError extends AppError {}

/** Not a compact JWE, truncated, or not decryptable with our key (tampered ciphertext). */
export class PeerEnvelopeError extends PeerError {
  constructor(message: string) {
    super('ERR_PEER_ENVELOPE', 400, message);
  }
}

/** The signature does not verify with a key the directory lists for the claimed sender. */
export class PeerSignatureError extends PeerError {
  constructor(message: string) {
    super('ERR_PEER_SIGNATURE', 401, message);
  }
}

/** The sender is not a Party with a node in our directory. */
export class UnknownPeerError extends PeerError {
  constructor(party: string) {
    super('ERR_PEER_UNKNOWN', 401, `${party} has no node in this node's directory.`);
  }
}

export class PeerHeaderError extends PeerError {
  constructor(message: string) {
    super('ERR_PEER_HEADER', 400, message);
  }
}

export class PeerRecipientError extends PeerError {
  constructor(message: string) {
    super('ERR_PEER_RECIPIENT', 400, message);
  }
}

export class PeerExpiredError extends PeerError {
  constructor(message: string) {
    super('ERR_PEER_EXPIRED', 400, message);
  }
}

export class PeerClockSkewError extends PeerError {
  constructor(message: string) {
    super('ERR_PEER_CLOCK_SKEW', 400, message);
  }
}

/** A seen message id with a different content: a replay or a forgery, never a retry. */
export class PeerReplayError extends PeerError {
  constructor(id: string) {
    super('ERR_PEER_REPLAY', 409, `Message ${id} was already received with a different content.`);
  }
}

/** An earlier message of the same request has not arrived yet; the sender retries later. */
export class PeerOutOfOrderError extends PeerError {
  constructor(expected: number, got: number) {
    super(
      'ERR_PEER_OUT_OF_ORDER',
      409,
      `Message ${got} of this request arrived before message ${expected}; send that one first.`,
      { expectedSeq: expected },
    );
  }
}

/** A valid message that cannot be applied (unknown type, a step impossible from the current state). */
export class PeerProtocolError extends PeerError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_PEER_PROTOCOL', 422, message, details);
  }
}

export class PeerTooLargeError extends PeerError {
  constructor(limit: number) {
    super('ERR_PEER_TOO_LARGE', 413, `A message may be at most ${limit} bytes.`);
  }
}
