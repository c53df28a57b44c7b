// The evidence capability of a node (issue #15): uploads, items, packages and their chain of custody.
import type { Config } from '../config.ts';
import type { Keyring } from '../node-identity/keyring.ts';
import type { Clock } from '../shared/clock.ts';
import type { Database } from '../store/database.ts';
import { type ConsentLink, createConsentService, DEFAULT_CONSENT_LINK } from './consent-service.ts';
import { createCustodyService } from './custody-report.ts';
import { deriveEvidenceKek } from './evidence-crypto.ts';
import type { EvidenceDeps } from './evidence-deps.ts';
import { type EvidenceStorage, fileStorage } from './evidence-storage.ts';
import { createHandDeliveryService } from './hand-delivery.ts';
import { createHandoverService } from './handover-service.ts';
import { createItemService } from './item-service.ts';
import { createOnwardService } from './onward-service.ts';
import { createPackageService } from './package-service.ts';
import { sweepRetention } from './retention.ts';
import { s3Storage } from './s3-storage.ts';
import { createTransferReceiver } from './transfer/transfer-receiver.ts';
import { createTransferSender } from './transfer/transfer-sender.ts';
import { createUploadService } from './upload-service.ts';
import { createUploadWriter } from './upload-writer.ts';

export const DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

export function createEvidenceService(
  base: { database: Database; clock: Clock; keyring: Keyring; config: Config },
  options: { storage?: EvidenceStorage; federation?: ConsentLink } = {},
) {
  const { config } = base;
  if (!config.secrets.keySecret) throw new Error('HANOI247_KEY_SECRET is needed to encrypt evidence');
  const storage =
    options.storage ??
    (config.evidence?.s3
      ? s3Storage(config.evidence.s3)
      : fileStorage(config.evidence?.dir ?? `${config.dataDir}/evidence`));
  const deps: EvidenceDeps = {
    database: base.database,
    clock: base.clock,
    keyring: base.keyring,
    nodeState: config.nodeState,
    storage,
    kek: deriveEvidenceKek(config.secrets.keySecret),
    maxUploadBytes: config.evidence?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    writer: createUploadWriter(storage),
  };
  const consents = createConsentService(deps, options.federation ?? DEFAULT_CONSENT_LINK);
  const handovers = createHandoverService(deps, consents);
  const custody = createCustodyService(deps);
  const sender = createTransferSender(deps);
  return {
    deps,
    consents,
    handovers,
    handDeliveries: createHandDeliveryService(deps, { handovers, custody }),
    uploads: createUploadService(deps),
    items: createItemService(deps),
    packages: createPackageService(deps),
    custody,
    transfer: { sender, receiver: createTransferReceiver(deps) },
    onward: createOnwardService(deps, consents, sender),
    retention: { sweep: (now?: Date) => sweepRetention(deps, now) },
    /** Lets go of the storage's connections (an S3 client's sockets), the sender's and the sealing thread. */
    close: () => {
      sender.close();
      storage.close?.();
      void deps.writer.close();
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
