// The shapes the single inbox (inbox-service.ts) and the batch inbox (batch-inbox.ts) share: what
// both are built from and what persisting one message yields. Below both, so that the inbox can build
// the batch inbox without the batch inbox importing the inbox back.
import type { Logger } from 'pino';
import type { FreshnessRules } from '../domain/federation/index.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import type { AfterCommit, ApplyMessage } from './protocol-handlers.ts';

export type InboxDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  freshness: FreshnessRules;
  apply: ApplyMessage;
  logger: Logger;
  /** As a witness: the latest cosigned checkpoint of a sender's audit log, for its receipts. */
  senderCheckpoint?: (sender: string) => Promise<string | null>;
};

export type Received = { receipt: string; duplicate: boolean };

/** One message persisted: the receipt to answer, and what to do once committed. */
export type Persisted = {
  receipt: string;
  duplicate: boolean;
  afterCommit?: AfterCommit;
  /** A duplicate: when the message was first received. */
  firstReceivedAt?: Date;
};
