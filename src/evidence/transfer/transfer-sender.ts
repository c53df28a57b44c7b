// The requested node's side of a package transfer: an approved package is offered to the requesting
// node (signed, encrypted to its directory key, with a fresh transfer key); the answer says which
// chunks it already holds, so a resumed send skips them; every other chunk is decrypted from this
// node's store, sealed under the transfer key and sent with its Merkle path; a refused chunk is sent
// again. The receiver's signed receipt, checked against its directory key, closes the transfer.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inclusionProofFromLevels, leafHash, type MerkleLevels, merkleLevels } from '../../crypto/merkle.ts';
import { verifyJson } from '../../crypto/node-keys.ts';
import type { EvidenceManifest } from '../../domain/evidence/index.ts';
import { directoryReader } from '../../federation/directory-reader.ts';
import { UnknownPeerError } from '../../federation/federation-errors.ts';
import { encryptTo } from '../../federation/jwe.ts';
import { findPeer, type Peer } from '../../federation/peers.ts';
import { AppError, ConflictError } from '../../shared/errors.ts';
import { evidenceBlobs, evidencePackages, evidenceTransfers } from '../../store/schema/index.ts';
import { recordPackageCustody } from '../custody.ts';
import { requireCaseOfficer } from '../evidence-access.ts';
import { openChunkInPlace, unwrapDataKey, wrapDataKey } from '../evidence-crypto.ts';
import type { EvidenceActor, EvidenceDeps } from '../evidence-deps.ts';
import { requireExerciseOpen, requireSameSide } from '../exercise-boundary.ts';
import type { PackageRow } from '../package-service.ts';
import { chunkPoster } from './chunk-post.ts';
import {
  chunkPath,
  completePath,
  type Holdings,
  hasBit,
  OFFER_TYPE,
  OFFERS_PATH,
  type OnwardClaim,
  RECEIPT_TYPE,
  sealTransferChunkInPlace,
} from './transfer-wire.ts';
import { youngCollector } from './young-collector.ts';

const ATTEMPTS_PER_CHUNK = 3;
/**
 * Chunks on their way at once (one memory chunk each, on both sides). Four keep the receiver's checks,
 * writes and syncs overlapping; eight arriving together added some 40 MiB to the receiver's memory.
 */
const CHUNKS_IN_FLIGHT = 4;
/** Items whose Merkle levels are kept after a send (64 bytes per MiB each), so a resume reads once. */
const LEVELS_KEPT = 4;

export type SendHooks = {
  /** Once the receiver has answered the offer: how many chunks it already holds (a resume). */
  afterOffer?: (held: number) => Promise<void> | void;
  afterChunk?: (sent: number) => Promise<void> | void;
};

export type SendReport = {
  packageId: string;
  sent: number;
  skipped: number;
  resent: number;
  receipt: string;
};

export function createTransferSender(deps: EvidenceDeps) {
  const { db } = deps.database;
  const readDirectory = directoryReader();
  const kept = new Map<string, MerkleLevels>();

  const chunks = chunkPoster(CHUNKS_IN_FLIGHT);
  // Each chunk read, opened and sealed again leaves three megabytes of young garbage outside V8's heap.
  const garbage = youngCollector();

  function unanswered(error: unknown): AppError {
    return new AppError(
      'ERR_EVIDENCE_TRANSFER',
      502,
      `The receiving node did not answer (${(error as Error).message}); send again to resume where it stopped.`,
    );
  }

  async function post(url: string, body: string, type: string) {
    let reply: Response;
    try {
      reply = await fetch(url, { method: 'POST', body, headers: { 'content-type': type } });
    } catch (error) {
      throw unanswered(error);
    }
    const text = await reply.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    return { status: reply.status, body: json };
  }

  async function postChunk(url: string, record: readonly Buffer[], proof: string) {
    try {
      return await chunks.post(url, record, {
        'content-type': 'application/octet-stream',
        'x-merkle-proof': proof,
      });
    } catch (error) {
      throw unanswered(error);
    }
  }

  function refused(status: number, body: Record<string, unknown>, what: string): AppError {
    return new AppError(
      'ERR_EVIDENCE_TRANSFER',
      502,
      `The receiving node refused the ${what} (${status} ${String(body.code ?? '')}): ${String(body.detail ?? body.message ?? '')}`,
    );
  }

  async function peerFor(state: string): Promise<Peer> {
    const document = await readDirectory(db);
    const peer = document ? findPeer(document, state, deps.clock.now()) : null;
    if (!peer?.encryptionKeys[0]) throw new UnknownPeerError(state);
    return peer;
  }

  /**
   * The Merkle tree of one item's chunks, every level kept (64 bytes per MiB), so that each chunk's
   * proof is a few lookups rather than a pass over all the leaves: from the leaf hashes kept at upload
   * (no pass over the records before the first chunk leaves), else one pass over its records; then
   * kept for the next sends of the same bytes (a resume after a cut or a kill).
   */
  async function levelsOf(
    storageKey: string,
    dataKey: Buffer,
    count: number,
    chunkRoot: string,
  ): Promise<MerkleLevels> {
    const known = kept.get(storageKey);
    if (known?.[0]?.length === count) return known;
    const levels = (await keptLeaves(storageKey, count, chunkRoot)) ?? (await computedLevels());
    kept.delete(storageKey);
    if (kept.size >= LEVELS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(storageKey, levels);
    return levels;

    async function computedLevels(): Promise<MerkleLevels> {
      const leaves: Buffer[] = [];
      for (let i = 0; i < count; i++) {
        const record = await deps.storage.readRecord(storageKey, i);
        leaves.push(leafHash(openChunkInPlace(dataKey, i, record)));
        garbage.handled(record.length);
      }
      return merkleLevels(leaves);
    }
  }

  /** The levels over the leaf hashes kept at upload, if they are there and make the item's chunk root. */
  async function keptLeaves(
    storageKey: string,
    count: number,
    chunkRoot: string,
  ): Promise<MerkleLevels | null> {
    const bytes = await deps.storage.readLeaves(storageKey);
    if (!bytes || count === 0 || bytes.length !== count * 32) return null;
    const leaves = Array.from({ length: count }, (_, i) => bytes.subarray(i * 32, (i + 1) * 32));
    const levels = merkleLevels(leaves);
    return levels.at(-1)![0]!.toString('hex') === chunkRoot ? levels : null;
  }

  async function send(packageId: string, actor: EvidenceActor, hooks: SendHooks = {}): Promise<SendReport> {
    const [row] = /^[0-9a-f-]{36}$/i.test(packageId)
      ? await db.select().from(evidencePackages).where(eq(evidencePackages.id, packageId))
      : [];
    if (!row) throw new AppError('ERR_NOT_FOUND', 404, `Evidence package '${packageId}' does not exist.`);
    const request = await requireCaseOfficer(db, row.requestId, actor.id, deps.clock);
    requireSameSide(`Package ${packageId}`, row.exerciseId, request);
    await requireExerciseOpen(db, row.exerciseId);
    if (!['approved', 'sending', 'sent'].includes(row.status))
      throw new ConflictError(
        `This package is ${row.status}: a package leaves only once approved by a second officer.`,
        'ERR_EVIDENCE_PACKAGE_STATE',
      );
    const manifest = row.manifest as EvidenceManifest;
    const peer = await peerFor(manifest.recipientState);
    const transferKey = randomBytes(32);
    const now = deps.clock.now();
    if (row.status === 'approved')
      await db.transaction(async (tx) => {
        await tx
          .update(evidencePackages)
          .set({ status: 'sending' })
          .where(eq(evidencePackages.id, packageId));
        await tx
          .insert(evidenceTransfers)
          .values({
            packageId,
            direction: 'OUT',
            peerState: peer.party,
            transferKey: wrapDataKey(deps.kek, transferKey),
            itemKeys: [],
            status: 'open',
            receipt: null,
            startedAt: now,
            finishedAt: null,
          })
          .onConflictDoNothing();
        await recordPackageCustody(
          tx,
          { requestId: row.requestId, packageId: packageId },
          {
            action: 'evidence.package_send',
            actor: actor.id,
            details: { to: peer.party, merkleRoot: row.merkleRoot, from: actor.address ?? null },
          },
          now,
        );
      });
    const { receipt, verifiedAt, ...counts } = await transmit(row, peer, transferKey, hooks);
    const finished = deps.clock.now();
    await db.transaction(async (tx) => {
      await tx.update(evidencePackages).set({ status: 'sent' }).where(eq(evidencePackages.id, packageId));
      await tx
        .update(evidenceTransfers)
        .set({ status: 'verified', receipt, finishedAt: finished })
        .where(eq(evidenceTransfers.packageId, packageId));
      if (row.status !== 'sent')
        await recordPackageCustody(
          tx,
          { requestId: row.requestId, packageId: packageId },
          {
            action: 'evidence.package_delivered',
            actor: actor.id,
            details: { to: peer.party, merkleRoot: row.merkleRoot, verifiedAt },
          },
          finished,
        );
    });
    return { packageId, ...counts, receipt };
  }

  /**
   * Moves a package's bytes to `peer`: the offer (signed, encrypted to the peer; `onward` when this
   * node passes on a package it received), the chunks it does not hold yet, then the receipt it signs,
   * checked against its directory key. Records nothing: the callers keep their own state.
   */
  async function transmit(
    row: PackageRow,
    peer: Peer,
    transferKey: Buffer,
    hooks: SendHooks = {},
    onward?: OnwardClaim,
  ): Promise<Omit<SendReport, 'packageId'> & { verifiedAt: string | null }> {
    const packageId = row.id;
    const manifest = row.manifest as EvidenceManifest;
    const offerJws = await deps.keyring.sign({
      typ: 'hanoi247-evidence-offer',
      from: deps.nodeState,
      to: peer.party,
      packageId,
      manifestJws: row.jws,
      transferKey: transferKey.toString('base64url'),
      ...(onward ? { onward } : {}),
    });
    const offer = await encryptTo(offerJws, peer.encryptionKeys[0]!, OFFER_TYPE, {
      from: deps.nodeState,
      to: peer.party,
      packageId,
    });
    const accepted = await post(`${peer.url}${OFFERS_PATH}`, offer, 'application/jose');
    if (accepted.status !== 200) throw refused(accepted.status, accepted.body, 'package offer');
    const holdings = accepted.body as unknown as Holdings;
    await hooks.afterOffer?.(
      manifest.items.reduce((n, item, i) => {
        const have = Buffer.from(holdings.have[i] ?? '', 'base64url');
        let held = 0;
        for (let c = 0; c < item.chunkCount; c++) if (hasBit(have, c)) held++;
        return n + held;
      }, 0),
    );
    let sent = 0;
    let skipped = 0;
    let resent = 0;
    for (const [itemIndex, item] of manifest.items.entries()) {
      const have = Buffer.from(holdings.have[itemIndex] ?? '', 'base64url');
      const [blob] = await db.select().from(evidenceBlobs).where(eq(evidenceBlobs.sha256, item.sha256));
      if (!blob || blob.deletedAt)
        throw new ConflictError('The bytes of this package were deleted.', 'ERR_EVIDENCE_DELETED');
      const dataKey = unwrapDataKey(deps.kek, blob.wrappedKey);
      const levels = await levelsOf(blob.storageKey, dataKey, item.chunkCount, item.chunkRoot);
      const missing: number[] = [];
      for (let i = 0; i < item.chunkCount; i++) {
        if (hasBit(have, i)) skipped++;
        else missing.push(i);
      }
      const sendChunk = async (i: number) => {
        const proof = inclusionProofFromLevels(i, levels)
          .map((h) => h.toString('hex'))
          .join(',');
        for (let attempt = 1; ; attempt++) {
          // Opened and sealed again in the buffer it was read into: one megabyte per chunk, not three.
          const record = await deps.storage.readRecord(blob.storageKey, i);
          openChunkInPlace(dataKey, i, record);
          sealTransferChunkInPlace(transferKey, { packageId, item: itemIndex, chunk: i }, record);
          garbage.handled(record.length);
          const reply = await postChunk(`${peer.url}${chunkPath(packageId, itemIndex, i)}`, [record], proof);
          if (reply.status === 200) break;
          if (attempt >= ATTEMPTS_PER_CHUNK)
            throw refused(reply.status, reply.body, `chunk ${i} of item ${itemIndex}`);
          resent++;
        }
        sent++;
        await hooks.afterChunk?.(sent);
      };
      // CHUNKS_IN_FLIGHT senders share the list: the receiver's checks, writes and syncs of several
      // chunks overlap instead of each round trip waiting for the last. The first failure stops all.
      let next = 0;
      let failure: unknown = null;
      await Promise.all(
        Array.from({ length: CHUNKS_IN_FLIGHT }, async () => {
          while (failure === null && next < missing.length) {
            const i = missing[next++]!;
            try {
              await sendChunk(i);
            } catch (error) {
              failure ??= error;
            }
          }
        }),
      );
      if (failure !== null) throw failure;
    }
    const done = await post(`${peer.url}${completePath(packageId)}`, '{}', 'application/json');
    if (done.status !== 200 || typeof done.body.receipt !== 'string')
      throw refused(done.status, done.body, 'completion');
    const receipt = done.body.receipt;
    const signed = (await verifyJson(receipt, peer.signingKeys)) as Record<string, unknown>;
    if (signed.typ !== RECEIPT_TYPE || signed.packageId !== packageId || signed.merkleRoot !== row.merkleRoot)
      throw new AppError(
        'ERR_EVIDENCE_TRANSFER',
        502,
        'The receipt does not name this package and its Merkle root.',
      );
    return { sent, skipped, resent, receipt, verifiedAt: (signed.verifiedAt as string | undefined) ?? null };
  }

  return { send, transmit, peerFor, close: () => chunks.close() };
}

export type TransferSender = ReturnType<typeof createTransferSender>;
