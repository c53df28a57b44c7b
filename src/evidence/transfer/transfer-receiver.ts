// The requesting node's side of a package transfer: it accepts an offer only from the node the
// directory lists for the manifest's origin, for this node and a request it sent; it checks each chunk
// (transfer decryption, then its Merkle path to the item's chunk root in the signed manifest) before
// storing it encrypted under its own key, and records it, so a cut transfer resumes; a bad chunk is
// refused and nothing of it kept but the fact of the refusal (a custody entry with the item, chunk and
// reason, counted by the indicators; no content). Once every chunk is there, every item's SHA-256 is
// checked while streaming and the node signs a receipt for the whole package.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/audit-log.ts';
import { leafHash, verifyInclusion } from '../../crypto/merkle.ts';
import { SignatureError, verifyJson } from '../../crypto/node-keys.ts';
import { type EvidenceManifest, grantProblem, type OnwardOrigin } from '../../domain/evidence/index.ts';
import { directoryReader } from '../../federation/directory-reader.ts';
import { PeerSignatureError, UnknownPeerError } from '../../federation/federation-errors.ts';
import { decryptFor } from '../../federation/jwe.ts';
import { findPeer } from '../../federation/peers.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import {
  evidenceBlobs,
  evidenceItems,
  evidencePackageItems,
  evidencePackages,
  evidenceTransferChunks,
  evidenceTransfers,
  requests,
} from '../../store/schema/index.ts';
import { recordPackageCustody } from '../custody.ts';
import { newDataKey, openChunk, sealChunkInPlace, unwrapDataKey, wrapDataKey } from '../evidence-crypto.ts';
import type { EvidenceDeps } from '../evidence-deps.ts';
import { BOUNDARY_CODE, boundaryProblem, requireExerciseOpen } from '../exercise-boundary.ts';
import { runningDigests } from './running-digest.ts';
import {
  bitmapOf,
  ChunkRefusedError,
  type Holdings,
  OFFER_TYPE,
  type Offer,
  type OnwardClaim,
  openTransferChunkInPlace,
  RECEIPT_TYPE,
  type RefusalReason,
} from './transfer-wire.ts';
import { youngCollector } from './young-collector.ts';

/** Where a request may receive evidence: the requesting State's copy once sent and not closed. */
const RECEIVING_STATES = ['sent', 'acknowledged', 'in_execution', 'partially_executed', 'executed'];

/** The custody action of a refused chunk or item (counted as evidence_verification_failures). */
export const REFUSAL_ACTION = 'evidence.verification_failed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function onwardClaimProblems(claim: OnwardClaim): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (typeof claim.requestId !== 'string' || !UUID.test(claim.requestId))
    out.push({ field: '/onward/requestId', message: 'must be a UUID' });
  if (typeof claim.consentId !== 'string' || !UUID.test(claim.consentId))
    out.push({ field: '/onward/consentId', message: 'must be a UUID' });
  if (typeof claim.grant !== 'string' || claim.grant.length > 16_000)
    out.push({ field: '/onward/grant', message: 'must be a compact JWS' });
  const custody = claim.custody as unknown;
  if (
    !Array.isArray(custody) ||
    custody.length > 10_000 ||
    !custody.every(
      (c: { seq?: unknown; action?: unknown; at?: unknown }) =>
        Number.isInteger(c?.seq) &&
        typeof c.action === 'string' &&
        c.action.length <= 100 &&
        typeof c.at === 'string' &&
        !Number.isNaN(Date.parse(c.at)),
    )
  )
    out.push({ field: '/onward/custody', message: 'must be a list of { seq, action, at }' });
  return out;
}

const isOnward = (offer: Offer): offer is Offer & { onward: OnwardClaim } =>
  offer.onward !== undefined && offer.onward !== null;

const stagingId = (packageId: string, item: number) => `${packageId}-in-${item}`;
const SYSTEM = 'system:federation';
/** Transfers whose unwrapped keys are kept (a few bytes each). */
const OPEN_KEYS_KEPT = 64;

type OpenKeys = {
  /** The transfer key as the row holds it, wrapped: a different one means a new offer. */
  wrapped: string;
  transferKey: Buffer;
  itemKeys: Buffer[];
  peerState: string;
};

export function createTransferReceiver(deps: EvidenceDeps) {
  const { db } = deps.database;
  const readDirectory = directoryReader();
  const manifests = new Map<
    string,
    { manifest: EvidenceManifest; requestId: string; onward: OnwardOrigin | null }
  >();
  // The keys of the transfers open here, unwrapped once: a chunk then costs no read of its transfer row
  // and no unwrapping. An accept (a new transfer key) or a completion here drops the entry; a key
  // changed by another process of this node shows as a chunk that does not decrypt (see chunk()).
  const openKeys = new Map<string, OpenKeys>();
  const digests = runningDigests();
  const garbage = youngCollector();

  // Chunk rows recorded in groups: a row waits for the first insert that starts after it, so one
  // transaction (one commit, one log flush) covers every chunk that arrived meanwhile instead of one
  // each. A chunk is acknowledged only once its row is committed, so what the offer answers as held
  // after a kill is exactly what was acknowledged.
  type ChunkRow = typeof evidenceTransferChunks.$inferInsert;
  let queued: { row: ChunkRow; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let inserting = false;
  async function insertQueued(): Promise<void> {
    inserting = true;
    try {
      while (queued.length > 0) {
        const batch = queued;
        queued = [];
        try {
          await db
            .insert(evidenceTransferChunks)
            .values(batch.map((b) => b.row))
            .onConflictDoNothing();
          for (const b of batch) b.resolve();
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      inserting = false;
    }
  }
  function recordChunk(row: ChunkRow): Promise<void> {
    return new Promise((resolve, reject) => {
      queued.push({ row, resolve, reject });
      if (!inserting) void insertQueued();
    });
  }

  /** A JWS checked against the signing keys the signed directory lists for `state`. */
  async function signedBy(jws: string, state: string, refusal: () => AppError) {
    const document = await readDirectory(db);
    const peer = document ? findPeer(document, state, deps.clock.now()) : null;
    if (!peer) throw new UnknownPeerError(state);
    try {
      return (await verifyJson(jws, peer.signingKeys)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof SignatureError) throw refusal();
      throw error;
    }
  }

  const verifiedManifest = async (jws: string, from: string) =>
    (await signedBy(
      jws,
      from,
      () =>
        new AppError(
          'ERR_EVIDENCE_MANIFEST_SIGNATURE',
          422,
          `The package manifest is not signed by a key the directory lists for ${from}.`,
        ),
    )) as unknown as EvidenceManifest;

  /**
   * An onward offer: the manifest signed by the State that sealed the package (not the sender), the
   * package delivered to the sender, and the originating node's signed grant naming the sender, this
   * node, this package and its Merkle root.
   */
  async function checkOnward(offer: Offer & { onward: OnwardClaim }): Promise<EvidenceManifest> {
    const problems = onwardClaimProblems(offer.onward);
    if (problems.length > 0) throw new ValidationError(problems);
    const claimed = JSON.parse(
      Buffer.from(offer.manifestJws.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Partial<EvidenceManifest>;
    const origin = String(claimed.originState);
    const manifest = await verifiedManifest(offer.manifestJws, origin);
    if (manifest.recipientState !== offer.from || origin === deps.nodeState)
      throw new AppError(
        'ERR_EVIDENCE_MANIFEST_SIGNATURE',
        422,
        `${offer.from} may pass on only a package ${origin} delivered to it; this one was for ${manifest.recipientState}.`,
      );
    const invalid = (why: string) =>
      new AppError(
        'ERR_EVIDENCE_CONSENT_INVALID',
        422,
        `The consent of ${origin} carried with this package does not allow it here: ${why}.`,
        { originState: origin, consentId: offer.onward.consentId },
      );
    const grant = await signedBy(offer.onward.grant, origin, () =>
      invalid(`it is not signed by a key the directory lists for ${origin}`),
    );
    const problem = grantProblem(grant, {
      consentId: offer.onward.consentId,
      packageId: manifest.packageId,
      merkleRoot: manifest.merkle.root,
      originState: origin,
      askingState: offer.from,
      toState: deps.nodeState,
    });
    if (problem) throw invalid(problem);
    return manifest;
  }

  async function openOffer(jwe: string): Promise<{ offer: Offer; manifest: EvidenceManifest }> {
    const { plaintext } = await decryptFor(jwe, deps.keyring.decryptionKeys(), {
      encrypted: 'evidence offer',
      decrypts: 'evidence offer',
      typ: OFFER_TYPE,
    });
    const jws = Buffer.from(plaintext).toString('utf8');
    const claimed = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Offer;
    const document = await readDirectory(db);
    const peer = document ? findPeer(document, String(claimed.from), deps.clock.now()) : null;
    if (!peer) throw new UnknownPeerError(String(claimed.from));
    let offer: Offer;
    try {
      offer = (await verifyJson(jws, peer.signingKeys)) as Offer;
    } catch {
      throw new PeerSignatureError('The evidence offer is not signed by the sender named in it.');
    }
    if (offer.to !== deps.nodeState)
      throw new AppError(
        'ERR_EVIDENCE_WRONG_NODE',
        422,
        `This offer is for ${offer.to}, and this node is ${deps.nodeState}.`,
      );
    if (isOnward(offer)) {
      const manifest = await checkOnward(offer);
      if (manifest.packageId !== offer.packageId)
        throw new AppError('ERR_EVIDENCE_MANIFEST_SIGNATURE', 422, 'The offer and its manifest disagree.');
      return { offer, manifest };
    }
    const manifest = await verifiedManifest(offer.manifestJws, offer.from);
    if (manifest.recipientState !== deps.nodeState)
      throw new AppError(
        'ERR_EVIDENCE_WRONG_NODE',
        422,
        `This package is for ${manifest.recipientState}, and this node is ${deps.nodeState}.`,
      );
    if (manifest.originState !== offer.from || manifest.packageId !== offer.packageId)
      throw new AppError('ERR_EVIDENCE_MANIFEST_SIGNATURE', 422, 'The offer and its manifest disagree.');
    return { offer, manifest };
  }

  async function holdings(packageId: string, manifest: EvidenceManifest): Promise<Holdings> {
    const rows = await db
      .select()
      .from(evidenceTransferChunks)
      .where(eq(evidenceTransferChunks.packageId, packageId));
    return {
      have: manifest.items.map((item, i) =>
        bitmapOf(
          item.chunkCount,
          rows.filter((r) => r.itemIndex === i).map((r) => r.chunkIndex),
        ),
      ),
    };
  }

  /**
   * An exercise package only for the same exercise's request, joined and running here, and a real
   * package only for a real request; a refusal is audited (ids only) like refused exercise traffic.
   */
  async function exerciseCheck(
    manifest: EvidenceManifest,
    request: { id: string; exerciseId: string | null },
  ) {
    const problem = boundaryProblem(`Package ${manifest.packageId}`, manifest.exerciseId, request);
    try {
      if (problem)
        throw new ConflictError(
          `${problem}: evidence never crosses between an exercise and real work.`,
          BOUNDARY_CODE,
        );
      await requireExerciseOpen(db, request.exerciseId);
    } catch (error) {
      await db.transaction((tx) =>
        appendAudit(
          tx,
          {
            actor: `node:${manifest.originState}`,
            action: 'evidence.package_refuse',
            objectType: 'evidence_package',
            objectId: manifest.packageId,
            payload: {
              requestId: request.id,
              exerciseId: manifest.exerciseId ?? null,
              requestExerciseId: request.exerciseId,
              code: (error as AppError).code,
            },
          },
          deps.clock.now(),
        ),
      );
      throw error;
    }
  }

  /** POST offers: accepts (or re-accepts, for a resume) a package; answers the chunks already held. */
  async function accept(jwe: string): Promise<Holdings & { status: string }> {
    const { offer, manifest } = await openOffer(jwe);
    // An onward package answers a request of this node to the State that passes it on.
    const requestId = offer.onward?.requestId ?? manifest.requestId;
    const [request] = UUID.test(requestId)
      ? await db.select().from(requests).where(eq(requests.id, requestId))
      : [];
    if (
      request?.direction !== 'OUTGOING' ||
      request.partnerState !== offer.from ||
      !RECEIVING_STATES.includes(request.status)
    )
      throw new ConflictError(
        `No package from ${offer.from} is received for request ${requestId}: ${request ? `it is ${request.status}, to ${request.partnerState}` : 'this node does not know it'}.`,
        'ERR_EVIDENCE_REQUEST_STATE',
      );
    await exerciseCheck(manifest, request);
    const onward: OnwardOrigin | null = offer.onward
      ? {
          from: offer.from,
          originState: manifest.originState,
          originRequestId: manifest.requestId,
          consentId: offer.onward.consentId,
          grant: offer.onward.grant,
          custody: offer.onward.custody,
        }
      : null;
    const now = deps.clock.now();
    const [existing] = await db
      .select()
      .from(evidenceTransfers)
      .where(eq(evidenceTransfers.packageId, manifest.packageId));
    if (existing) {
      // A resume: the sender may have lost its key (a kill) and sent a new one.
      openKeys.delete(manifest.packageId);
      if (existing.status === 'open')
        await db
          .update(evidenceTransfers)
          .set({ transferKey: wrapDataKey(deps.kek, Buffer.from(offer.transferKey, 'base64url')) })
          .where(eq(evidenceTransfers.packageId, manifest.packageId));
      return { status: existing.status, ...(await holdings(manifest.packageId, manifest)) };
    }
    await db.transaction(async (tx) => {
      await tx.insert(evidencePackages).values({
        id: manifest.packageId,
        requestId,
        status: 'receiving',
        manifest,
        jws: offer.manifestJws,
        merkleRoot: manifest.merkle.root,
        supersedes: null,
        sealedBy: `node:${manifest.originState}`,
        sealedAt: new Date(manifest.sealedAt),
        approvedBy: null,
        approvedAt: null,
        retentionUntil: manifest.retentionUntil ? new Date(manifest.retentionUntil) : null,
        deletedAt: null,
        exerciseId: request.exerciseId,
        onward,
      });
      await tx.insert(evidenceTransfers).values({
        packageId: manifest.packageId,
        direction: 'IN',
        peerState: offer.from,
        transferKey: wrapDataKey(deps.kek, Buffer.from(offer.transferKey, 'base64url')),
        itemKeys: manifest.items.map(() => wrapDataKey(deps.kek, newDataKey())),
        status: 'open',
        receipt: null,
        startedAt: now,
        finishedAt: null,
      });
      await recordPackageCustody(
        tx,
        { requestId, packageId: manifest.packageId },
        {
          action: 'evidence.package_receive',
          actor: SYSTEM,
          details: {
            from: offer.from,
            merkleRoot: manifest.merkle.root,
            ...(onward ? { originState: onward.originState, consentId: onward.consentId, onward: true } : {}),
          },
        },
        now,
      );
    });
    return { status: 'open', ...(await holdings(manifest.packageId, manifest)) };
  }

  async function transferRow(packageId: string) {
    const [transfer] = /^[0-9a-f-]{36}$/i.test(packageId)
      ? await db.select().from(evidenceTransfers).where(eq(evidenceTransfers.packageId, packageId))
      : [];
    if (transfer?.direction !== 'IN') throw new NotFoundError('Evidence transfer', packageId);
    return transfer;
  }

  /** A stored manifest never changes: read once per package, not once per chunk. */
  async function packageOf(packageId: string) {
    let known = manifests.get(packageId);
    if (!known) {
      const [pkg] = await db.select().from(evidencePackages).where(eq(evidencePackages.id, packageId));
      known = {
        manifest: pkg!.manifest as EvidenceManifest,
        requestId: pkg!.requestId,
        onward: (pkg!.onward as OnwardOrigin | null) ?? null,
      };
      if (manifests.size >= 16) manifests.delete(manifests.keys().next().value!);
      manifests.set(packageId, known);
    }
    return known;
  }

  async function openTransfer(packageId: string) {
    const transfer = await transferRow(packageId);
    return { transfer, ...(await packageOf(packageId)) };
  }

  /** The keys of an open incoming transfer, read and unwrapped, and kept for its next chunks. */
  async function readKeys(packageId: string): Promise<OpenKeys | null> {
    const transfer = await transferRow(packageId);
    if (transfer.status !== 'open') return null;
    const keys = {
      wrapped: transfer.transferKey,
      transferKey: unwrapDataKey(deps.kek, transfer.transferKey),
      itemKeys: (transfer.itemKeys as string[]).map((k) => unwrapDataKey(deps.kek, k)),
      peerState: transfer.peerState,
    };
    openKeys.delete(packageId);
    if (openKeys.size >= OPEN_KEYS_KEPT) openKeys.delete(openKeys.keys().next().value!);
    openKeys.set(packageId, keys);
    return keys;
  }

  /**
   * A refused chunk or item, recorded for the indicators: the partner, which item and chunk, and why;
   * nothing of the bytes. Only an open transfer gets here, whose package id travelled inside the
   * encrypted offer, so a stranger cannot fill the log with refusals.
   */
  async function recordRefusal(
    known: { manifest: EvidenceManifest; requestId: string; transfer: { peerState: string } },
    where: { item: number; chunk: number | null },
    reason: RefusalReason,
  ): Promise<void> {
    await db.transaction((tx) =>
      recordPackageCustody(
        tx,
        { requestId: known.requestId, packageId: known.manifest.packageId },
        {
          action: REFUSAL_ACTION,
          actor: SYSTEM,
          details: { from: known.transfer.peerState, item: where.item, chunk: where.chunk, reason },
        },
        deps.clock.now(),
      ),
    );
  }

  /** PUT a chunk: checked, re-encrypted under this node's key, stored, recorded; a refusal is counted. */
  async function chunk(packageId: string, item: number, index: number, record: Buffer, proof: string[]) {
    const kept = openKeys.get(packageId);
    const keys = kept ?? (await readKeys(packageId));
    if (!keys) return { stored: false };
    const known = { ...(await packageOf(packageId)), transfer: { peerState: keys.peerState } };
    try {
      return await checkAndStore(keys, known.manifest, packageId, item, index, record, proof);
    } catch (error) {
      if (error instanceof ChunkRefusedError) {
        // Kept keys that another process of this node replaced (it accepted a resumed offer): the
        // chunk was sealed under the new key, no fault of the sender's, and it is sent again.
        if (kept && error.reason === 'decrypt' && (await readKeys(packageId))?.wrapped !== kept.wrapped)
          throw error;
        await recordRefusal(known, { item, chunk: index }, error.reason);
      }
      throw error;
    }
  }

  async function checkAndStore(
    keys: OpenKeys,
    manifest: EvidenceManifest,
    packageId: string,
    item: number,
    index: number,
    record: Buffer,
    proof: string[],
  ) {
    const entry = manifest.items[item];
    if (!entry || !Number.isInteger(index) || index < 0 || index >= entry.chunkCount)
      throw new ChunkRefusedError(`Item ${item} has no chunk ${index}.`, 'range');
    // The record is decrypted, checked and sealed again under this node's key in its own buffer: no
    // megabyte of garbage per chunk (see record-pool.ts).
    const plain = openTransferChunkInPlace(keys.transferKey, { packageId, item, chunk: index }, record);
    const expected = Math.min(manifest.chunkSize, entry.size - index * manifest.chunkSize);
    if (plain.length !== expected)
      throw new ChunkRefusedError(
        `Chunk ${index} of item ${item} has ${plain.length} bytes, not ${expected}.`,
        'size',
      );
    const path = proof.map((h) => Buffer.from(h, 'hex'));
    if (!verifyInclusion(index, entry.chunkCount, leafHash(plain), path, Buffer.from(entry.chunkRoot, 'hex')))
      throw new ChunkRefusedError(
        `Chunk ${index} of item ${item} does not match the chunk root of the signed manifest.`,
        'merkle',
      );
    // Into the item's digest before it is sealed over: the Merkle path fixed these bytes, so a chunk
    // whose write fails is sent again with the same bytes, which the digest then skips.
    digests.stored(stagingId(packageId, item), index, plain);
    const sealed = sealChunkInPlace(keys.itemKeys[item]!, index, record);
    // Counted before the write and sync: when the chunks in flight arrive at once, their garbage (the
    // socket's reads, the pieces of decryption and sealing) is collected before they all wait.
    garbage.handled(record.length);
    await deps.storage.writeRecordDurably(stagingId(packageId, item), index, sealed);
    await recordChunk({ packageId, itemIndex: item, chunkIndex: index });
    return { stored: true };
  }

  /**
   * An item's SHA-256 over its stored chunks: taken as they arrived where it could be, and for the rest
   * (all of it after a restart) read back from the store one chunk at a time.
   */
  async function itemDigest(packageId: string, item: number, dataKey: Buffer, chunkCount: number) {
    const { hash, next } = digests.take(stagingId(packageId, item));
    for (let i = next; i < chunkCount; i++) {
      const record = await deps.storage.readStagedRecord(stagingId(packageId, item), i);
      hash.update(openChunk(dataKey, i, record));
      // Two megabytes of young garbage per chunk read back (the read, the plaintext): collected as it goes.
      garbage.handled(record.length);
    }
    return hash.digest('hex');
  }

  /** POST complete: once every chunk is held, checks each item whole, files it, signs the receipt. */
  async function complete(packageId: string): Promise<{ receipt: string }> {
    const known = await openTransfer(packageId);
    const { transfer, manifest, requestId, onward } = known;
    openKeys.delete(packageId);
    if (transfer.status === 'verified') return { receipt: transfer.receipt! };
    const held = await db
      .select()
      .from(evidenceTransferChunks)
      .where(eq(evidenceTransferChunks.packageId, packageId));
    const total = manifest.items.reduce((n, i) => n + i.chunkCount, 0);
    if (held.length < total)
      throw new ConflictError(
        `${total - held.length} chunks are still missing: send them, then ask again.`,
        'ERR_EVIDENCE_INCOMPLETE',
        { missing: total - held.length },
      );
    const keys = transfer.itemKeys as string[];
    for (const [i, item] of manifest.items.entries()) {
      const digest = await itemDigest(packageId, i, unwrapDataKey(deps.kek, keys[i]!), item.chunkCount);
      if (digest !== item.sha256) {
        // Never keep what does not add up: forget the item's chunks so they are sent again.
        await deps.storage.discard(stagingId(packageId, i));
        await db
          .delete(evidenceTransferChunks)
          .where(
            and(eq(evidenceTransferChunks.packageId, packageId), eq(evidenceTransferChunks.itemIndex, i)),
          );
        await recordRefusal(known, { item: i, chunk: null }, 'item_hash');
        throw new ChunkRefusedError(`Item ${i} does not hash to the SHA-256 of the manifest.`, 'item_hash');
      }
    }
    const now = deps.clock.now();
    const receipt = await deps.keyring.sign({
      typ: RECEIPT_TYPE,
      packageId,
      by: deps.nodeState,
      to: transfer.peerState,
      merkleRoot: manifest.merkle.root,
      items: manifest.items.map((i) => i.sha256),
      verifiedAt: now.toISOString(),
    });
    for (const [i, item] of manifest.items.entries()) {
      const [blob] = await db.select().from(evidenceBlobs).where(eq(evidenceBlobs.sha256, item.sha256));
      if (blob) await deps.storage.discard(stagingId(packageId, i));
      else await deps.storage.promote(stagingId(packageId, i), item.sha256);
    }
    await db.transaction(async (tx) => {
      for (const [i, item] of manifest.items.entries()) {
        await tx
          .insert(evidenceBlobs)
          .values({
            sha256: item.sha256,
            size: item.size,
            chunkSize: manifest.chunkSize,
            chunkCount: item.chunkCount,
            chunkRoot: item.chunkRoot,
            wrappedKey: keys[i]!,
            storageKey: item.sha256,
            createdAt: now,
            deletedAt: null,
          })
          .onConflictDoNothing();
        await tx
          .insert(evidenceItems)
          .values({
            id: item.id,
            requestId,
            sha256: item.sha256,
            size: item.size,
            fileName: item.fileName,
            mediaType: item.mediaType,
            description: item.description,
            source: item.source,
            custodian: item.custodian ?? null,
            domesticOrder: item.domesticOrder ?? null,
            acquiredAt: new Date(item.acquiredAt),
            acquiredBy: item.acquiredBy,
            personalData: item.personalData,
            addedBy: `node:${manifest.originState}`,
            addedAt: now,
            exerciseId: manifest.exerciseId ?? null,
          })
          .onConflictDoNothing();
        await tx
          .insert(evidencePackageItems)
          .values({ packageId, itemId: item.id, position: i })
          .onConflictDoNothing();
      }
      await tx.update(evidencePackages).set({ status: 'verified' }).where(eq(evidencePackages.id, packageId));
      await tx
        .update(evidenceTransfers)
        .set({ status: 'verified', receipt, finishedAt: now })
        .where(eq(evidenceTransfers.packageId, packageId));
      await recordPackageCustody(
        tx,
        { requestId, packageId: packageId },
        {
          action: 'evidence.package_verify',
          actor: SYSTEM,
          details: {
            from: transfer.peerState,
            merkleRoot: manifest.merkle.root,
            signedBy: manifest.originState,
            ...(onward ? { consentId: onward.consentId, onward: true } : {}),
          },
        },
        now,
      );
    });
    return { receipt };
  }

  return { accept, chunk, complete };
}

export type TransferReceiver = ReturnType<typeof createTransferReceiver>;
