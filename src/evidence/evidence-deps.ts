// What the evidence use cases share: storage, keys and the node's identity.
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import type { EvidenceStorage } from './evidence-storage.ts';
import type { UploadWriter } from './upload-writer.ts';

export type EvidenceDeps = {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  nodeState: string;
  storage: EvidenceStorage;
  /** Key-encryption key of the data keys (derived from the node's key secret). */
  kek: Buffer;
  maxUploadBytes: number;
  writer: UploadWriter;
};

/** Who acts, and from where (kept in the chain of custody). */
export type EvidenceActor = { id: string; roles: readonly string[]; address?: string; userAgent?: string };
