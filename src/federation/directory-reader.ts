// The directory in force for federation: read through the caller's handle or transaction (an
// embedded database has one connection) and parsed again only when a new version was imported.
import { desc, eq } from 'drizzle-orm';
import { DirectoryUntrustedError } from '../directory/directory-trust.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import type { Db } from '../store/database.ts';
import { directoryVersions } from '../store/schema/index.ts';

/** The directory in force, read with the caller's transaction (an embedded database has one connection). */
export function directoryReader(): (tx: Db) => Promise<DirectoryDocument | null> {
  let cached: { version: number; document: DirectoryDocument } | null = null;
  return async (tx: Db): Promise<DirectoryDocument | null> => {
    const [latest] = await tx
      .select({
        id: directoryVersions.id,
        publisherKid: directoryVersions.publisherKid,
        refusedAt: directoryVersions.refusedAt,
        refusedCode: directoryVersions.refusedCode,
        refusedReason: directoryVersions.refusedReason,
      })
      .from(directoryVersions)
      .orderBy(desc(directoryVersions.id))
      .limit(1);
    if (!latest) return null;
    // A version the trust anchors no longer verify (the directory service records it) gives no
    // peer, key or URL: nothing is sent or accepted until a newer signed directory is imported.
    if (latest.refusedAt) throw DirectoryUntrustedError.ofRefused(latest);
    if (cached?.version !== latest.id) {
      const [row] = await tx.select().from(directoryVersions).where(eq(directoryVersions.id, latest.id));
      cached = { version: latest.id, document: row!.document as DirectoryDocument };
    }
    return cached.document;
  };
}
