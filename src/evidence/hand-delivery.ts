// Hand delivery to a partner without a node (issue #15, part 8): the delivery is recorded first (who,
// to whom, which State, when — in the chain of custody, through the same onward-transfer rule as any
// handover), then the archive is built from that record: the signed manifest, the files, the custody
// report that already holds the delivery, the sender's keys, CASE/UCO, the README and a delivery note
// in the partner's language. The same folder layout as `evidence export`, so `evidence verify` checks
// it once unpacked. Nothing is held in memory but one chunk.
import { and, eq } from 'drizzle-orm';
import type { EvidenceManifest } from '../domain/evidence/index.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { evidenceBlobs, evidenceCustody } from '../store/schema/index.ts';
import { caseUcoDocument } from './case-uco.ts';
import type { CustodyService } from './custody-report.ts';
import { requireCaseOfficer } from './evidence-access.ts';
import type { EvidenceActor, EvidenceDeps } from './evidence-deps.ts';
import { EXPORT_FILES, exportedFileName } from './export-layout.ts';
import { README_LANGUAGES, type ReadmeLanguage, readmeLanguageFor, readmeText } from './export-readme.ts';
import { deliveryNote } from './hand-delivery-note.ts';
import type { HandoverService } from './handover-service.ts';
import { blobStream, GoneError } from './item-service.ts';
import { createPackageService } from './package-service.ts';
import { type TarEntry, tarStream } from './tar-writer.ts';

export type HandDeliveryInput = { recipient: string; toState: string; language?: string };

const DELIVER = 'evidence.package_deliver';

export const archiveName = (packageId: string) => `evidence-${packageId}.tar`;
export const archivePath = (packageId: string, seq: number) =>
  `/api/v1/evidence/packages/${packageId}/hand-deliveries/${seq}/archive`;

export function createHandDeliveryService(
  deps: EvidenceDeps,
  services: { handovers: HandoverService; custody: CustodyService },
) {
  const { db } = deps.database;
  const packages = createPackageService(deps);

  /** Records the delivery (refused like any handover: approval, retention, onward-transfer consent). */
  async function record(packageId: string, actor: EvidenceActor, input: HandDeliveryInput) {
    const language = input.language ?? readmeLanguageFor(input.toState ?? '');
    if (!(README_LANGUAGES as readonly string[]).includes(language))
      throw new ValidationError([
        { field: '/language', message: `must be one of ${README_LANGUAGES.join(', ')}` },
      ]);
    const done = await services.handovers.record(packageId, actor, {
      kind: 'DELIVERY',
      recipient: input.recipient,
      toState: input.toState,
      language,
    });
    return {
      ...done,
      toState: input.toState,
      language: language as ReadmeLanguage,
      archive: archivePath(packageId, done.auditSeq),
      fileName: archiveName(packageId),
    };
  }

  /** The archive of a recorded delivery, for an officer of the case. */
  async function archive(packageId: string, seq: number, actor: EvidenceActor) {
    const pkg = await packages.find(db, packageId);
    await requireCaseOfficer(db, pkg.requestId, actor.id, deps.clock);
    const [delivery] = Number.isSafeInteger(seq)
      ? await db
          .select()
          .from(evidenceCustody)
          .where(
            and(
              eq(evidenceCustody.auditSeq, seq),
              eq(evidenceCustody.packageId, packageId),
              eq(evidenceCustody.action, DELIVER),
            ),
          )
      : [];
    if (!delivery) throw new NotFoundError('Hand delivery', `${packageId}/${seq}`);
    const details = delivery.details as { recipient: string; toState?: string; language?: string };
    const language = (
      (README_LANGUAGES as readonly string[]).includes(details.language ?? '') ? details.language : 'en'
    ) as ReadmeLanguage;
    const manifest = pkg.manifest as EvidenceManifest;
    const blobs: (typeof evidenceBlobs.$inferSelect)[] = [];
    for (const item of manifest.items) {
      const [blob] = await db.select().from(evidenceBlobs).where(eq(evidenceBlobs.sha256, item.sha256));
      if (!blob || blob.deletedAt)
        throw new GoneError(`The bytes of item ${item.id} were deleted under the retention period.`);
      blobs.push(blob);
    }
    const custody = await services.custody.report(packageId, actor);
    const event = custody.events.find((e) => e.seq === seq);
    const folder = `evidence-${packageId}`;
    const at = delivery.at;
    const text = (name: string, content: string): TarEntry => {
      const body = Buffer.from(content, 'utf8');
      return { name: `${folder}/${name}`, size: body.length, mtime: at, body };
    };
    const facts = {
      packageId,
      origin: manifest.originState,
      recipient: details.toState ?? manifest.recipientState,
      items: manifest.items.length,
      root: manifest.merkle.root,
      exerciseId: manifest.exerciseId ?? null,
    };
    const entries: TarEntry[] = [
      text(
        `DELIVERY.${language}.txt`,
        deliveryNote(language, {
          packageId,
          origin: manifest.originState,
          deliveredBy: event?.actorName ?? delivery.actor,
          recipient: details.recipient,
          toState: details.toState ?? '',
          at: at.toISOString(),
          auditSeq: seq,
          archive: archiveName(packageId),
          folder,
          exerciseId: manifest.exerciseId ?? null,
        }),
      ),
      text(`README.${language}.txt`, readmeText(language, facts)),
      text(EXPORT_FILES.manifestJws, `${pkg.jws}\n`),
      text(EXPORT_FILES.manifestJson, `${JSON.stringify(manifest, null, 2)}\n`),
      text(EXPORT_FILES.custody, `${JSON.stringify(custody, null, 2)}\n`),
      text(EXPORT_FILES.sender, `${JSON.stringify(custody.origin, null, 2)}\n`),
      text(EXPORT_FILES.caseUco, `${JSON.stringify(caseUcoDocument(manifest, custody.events), null, 2)}\n`),
    ];
    async function* all(): AsyncGenerator<TarEntry> {
      yield* entries;
      for (const [index, item] of manifest.items.entries())
        yield {
          name: `${folder}/${EXPORT_FILES.filesDir}/${exportedFileName(index, item)}`,
          size: item.size,
          mtime: new Date(item.acquiredAt),
          body: blobStream(deps.storage, blobs[index]!, deps.kek),
        };
    }
    return { fileName: archiveName(packageId), stream: tarStream(all()) };
  }

  return { record, archive };
}

export type HandDeliveryService = ReturnType<typeof createHandDeliveryService>;
