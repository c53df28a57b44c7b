import { and, desc, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import { canonicalJson, sha256Hex } from '../crypto/hash.ts';
import { type DirectoryDocument, validateDirectory } from '../domain/directory/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Database } from '../store/database.ts';
import { directoryVersions } from '../store/schema/index.ts';
import { checkStoredVersion, DirectoryUntrustedError, type TrustVerdict } from './directory-trust.ts';
import type { PublisherKey } from './publisher-keys.ts';
import { DirectoryTrustError, signedForm, verifySignedDirectory } from './signed-directory.ts';

export type DirectoryVersion = {
  version: number;
  sha256: string;
  importedAt: string;
  source: string;
  document: DirectoryDocument;
};

export type DirectoryOptions = {
  /** Trust anchors: when set, only documents signed by one of these keys are imported. */
  publisherKeys?: readonly PublisherKey[] | null;
  /** Where a newer signed directory is published (fetched by `refresh`). */
  url?: string | null;
  refreshMinutes?: number;
  /** How often the background check verifies the version in force again (default a minute). */
  trustCheckMs?: number;
  logger?: Logger;
};

type VersionRow = typeof directoryVersions.$inferSelect;

const TRUST_ACTOR = 'system:directory-trust';

/** The directory of Parties: versions of one validated document; the newest is in force. */
export function createDirectoryService(database: Database, clock: Clock, options: DirectoryOptions = {}) {
  const { db } = database;
  const anchors = options.publisherKeys ?? [];
  let cache: DirectoryVersion | null = null;
  let logger = options.logger;
  // The version last found to verify, and until when that holds (a key or the document expires).
  let trusted: { version: number; usableUntil: number | null } | null = null;

  async function verdictOf(row: VersionRow, now: Date): Promise<TrustVerdict> {
    if (trusted?.version === row.id && (trusted.usableUntil === null || trusted.usableUntil > now.getTime()))
      return { ok: true, usableUntil: trusted.usableUntil };
    const verdict = await checkStoredVersion(row, anchors, now);
    if (verdict.ok) trusted = { version: row.id, usableUntil: verdict.usableUntil };
    return verdict;
  }

  /** Records, once per version, that it no longer verifies: the mark and its audit entry commit together. */
  /**
   * Sets (a verdict) or clears (null) the version's refusal, with its audit entry, in one transaction;
   * false when another replica changed it first, so each change is recorded and logged once.
   */
  async function markRefusal(
    row: VersionRow,
    verdict: { code: string; reason: string } | null,
    now: Date,
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      const changed = await tx
        .update(directoryVersions)
        .set(
          verdict
            ? { refusedAt: now, refusedCode: verdict.code, refusedReason: verdict.reason }
            : { refusedAt: null, refusedCode: null, refusedReason: null },
        )
        .where(
          and(
            eq(directoryVersions.id, row.id),
            verdict ? isNull(directoryVersions.refusedAt) : isNotNull(directoryVersions.refusedAt),
          ),
        )
        .returning({ id: directoryVersions.id });
      if (changed.length === 0) return false;
      await appendAudit(
        tx,
        {
          actor: TRUST_ACTOR,
          action: verdict ? 'directory.refuse' : 'directory.trust_restored',
          objectType: 'directory',
          objectId: String(row.id),
          payload: verdict
            ? { code: verdict.code, reason: verdict.reason, publisherKid: row.publisherKid }
            : { publisherKid: row.publisherKid, refusedCode: row.refusedCode },
        },
        now,
      );
      return true;
    });
  }

  async function refuse(row: VersionRow, verdict: { code: string; reason: string }, now: Date) {
    if (await markRefusal(row, verdict, now))
      logger?.error(
        { directoryVersion: row.id, code: verdict.code, publisherKid: row.publisherKid },
        `the directory in force no longer verifies against the trust anchors and is not used: ${verdict.reason}`,
      );
  }

  /** The anchors verify a refused version again (the operator put a key back): it is usable again. */
  async function restore(row: VersionRow, now: Date) {
    if (await markRefusal(row, null, now))
      logger?.warn(
        { directoryVersion: row.id, publisherKid: row.publisherKid },
        'the trust anchors verify the directory in force again: it is used again',
      );
  }

  /** Throws DirectoryUntrustedError, after recording the refusal, when the version may not be used. */
  async function ensureUsable(row: VersionRow): Promise<void> {
    if (row.refusedAt) throw DirectoryUntrustedError.ofRefused(row);
    if (anchors.length === 0) return;
    const now = clock.now();
    const verdict = await verdictOf(row, now);
    if (verdict.ok) return;
    await refuse(row, verdict, now);
    throw new DirectoryUntrustedError(row.id, row.publisherKid, verdict.code, verdict.reason);
  }

  /**
   * Verifies the version in force against the anchors of now and records a change either way: a
   * refusal (it no longer verifies) or its end (it verifies again). Run at start and periodically.
   */
  async function recheckTrust(): Promise<TrustVerdict | null> {
    const [row] = await db.select().from(directoryVersions).orderBy(desc(directoryVersions.id)).limit(1);
    if (!row) return null;
    const now = clock.now();
    const verdict = row.refusedAt ? await checkStoredVersion(row, anchors, now) : await verdictOf(row, now);
    if (verdict.ok && row.refusedAt) await restore(row, now);
    if (!verdict.ok && !row.refusedAt) await refuse(row, verdict, now);
    return verdict;
  }

  async function current(): Promise<DirectoryVersion> {
    const [row] = await db.select().from(directoryVersions).orderBy(desc(directoryVersions.id)).limit(1);
    if (!row) throw new NotFoundError('Directory', 'current');
    await ensureUsable(row);
    // Replicas may import too: the cache is only reused while it is still the newest version.
    if (cache && cache.version === row.id) return cache;
    cache = {
      version: row.id,
      sha256: row.sha256,
      importedAt: row.importedAt.toISOString(),
      source: row.source,
      document: row.document as DirectoryDocument,
    };
    return cache;
  }

  async function currentOrNull(): Promise<DirectoryVersion | null> {
    try {
      return await current();
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  type Unwrapped = {
    document: unknown;
    publisherKid: string | null;
    /** The signed directory as received, and the publisher key that verified it. */
    jws: string | null;
    publisherJwk: PublisherKey['publicJwk'] | null;
  };

  /** The document inside an import: a signed one is verified against the trust anchors first. */
  async function unwrap(input: unknown): Promise<Unwrapped> {
    const jws = signedForm(input);
    if (jws !== null) {
      if (anchors.length === 0)
        throw new DirectoryTrustError(
          'ERR_DIRECTORY_NO_TRUST_ANCHOR',
          'This is a signed directory, but this node trusts no publisher key yet: set HANOI247_DIRECTORY_PUBLISHER_KEYS.',
        );
      const verified = await verifySignedDirectory(jws, anchors, clock.now());
      const anchor = anchors.find((a) => a.kid === verified.publisherKid)!;
      return { ...verified, jws, publisherJwk: anchor.publicJwk };
    }
    if (anchors.length > 0)
      throw new DirectoryTrustError(
        'ERR_DIRECTORY_UNSIGNED',
        'This node accepts only a directory signed by its publisher (HANOI247_DIRECTORY_PUBLISHER_KEYS); sign it with `hanoi247 directory sign`.',
      );
    return { document: input, publisherKid: null, jws: null, publisherJwk: null };
  }

  /** Validates and stores a new version; an identical document is not stored twice. */
  async function importDocument(
    actor: string,
    input: unknown,
    source: string,
  ): Promise<{ version: number; unchanged: boolean; publisherKid: string | null }> {
    const { document, publisherKid, jws, publisherJwk } = await unwrap(input);
    const result = validateDirectory(document);
    if (!result.ok) {
      throw new ValidationError(
        result.errors.map((e) => ({ field: `directory${e.path}`, message: e.message })),
        `The directory has ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}; nothing was imported.`,
      );
    }
    const hash = sha256Hex(canonicalJson(result.value));
    const now = clock.now();
    return db.transaction(async (tx) => {
      const [latest] = await tx
        .select()
        .from(directoryVersions)
        .orderBy(desc(directoryVersions.id))
        .limit(1)
        .for('update');
      // Whether the version in force still verifies: one that does not is replaced even by the same
      // document signed again, and is no measure of what is newer.
      const latestUsable =
        latest !== undefined &&
        !latest.refusedAt &&
        (anchors.length === 0 || (await verdictOf(latest, now)).ok);
      // The same document is not stored twice, unless it now comes signed and the version in force
      // has no usable signature kept (imported unsigned, before signatures were kept, or refused).
      if (latest && latest.sha256 === hash && (jws === null || (latest.signedJws !== null && latestUsable)))
        return { version: latest.id, unchanged: true, publisherKid };
      // A signed directory older than the one in force would undo the publisher's later changes
      // (a revoked node key listed again, for one): an old copy replayed is refused. A version that
      // no longer verifies (its key revoked, perhaps stolen) cannot hold back the publisher's next.
      const [baseline] =
        latest && !latestUsable
          ? await tx
              .select()
              .from(directoryVersions)
              .where(and(isNull(directoryVersions.refusedAt), ne(directoryVersions.id, latest.id)))
              .orderBy(desc(directoryVersions.id))
              .limit(1)
          : [latest];
      const previous = baseline?.document as DirectoryDocument | undefined;
      if (publisherKid && previous && Date.parse(previous.issuedAt) > Date.parse(result.value.issuedAt))
        throw new DirectoryTrustError(
          'ERR_DIRECTORY_ROLLBACK',
          `This directory was issued on ${result.value.issuedAt}, before the one in force (${previous.issuedAt}).`,
        );
      const [row] = await tx
        .insert(directoryVersions)
        .values({
          document: result.value,
          sha256: hash,
          source,
          importedAt: now,
          importedBy: actor,
          signedJws: jws,
          publisherKid,
          publisherJwk,
        })
        .returning({ id: directoryVersions.id });
      await appendAudit(
        tx,
        {
          actor,
          action: 'directory.import',
          objectType: 'directory',
          objectId: String(row!.id),
          payload: publisherKid ? { sha256: hash, publisherKid } : { sha256: hash },
        },
        now,
      );
      return { version: row!.id, unchanged: false, publisherKid };
    });
  }

  /** Fetches the signed directory published at the configured URL and imports it when it is newer. */
  async function refresh(actor = 'system:directory-refresh') {
    const url = options.url;
    if (!url)
      throw new DirectoryTrustError('ERR_DIRECTORY_NO_URL', 'No HANOI247_DIRECTORY_URL is configured.');
    let text: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      throw new AppError(
        'ERR_DIRECTORY_FETCH',
        502,
        `Could not fetch the directory from ${url}: ${(error as Error).message}`,
      );
    }
    const trimmed = text.trim();
    let input: unknown = trimmed;
    if (trimmed.startsWith('{')) {
      try {
        input = JSON.parse(trimmed);
      } catch {
        throw new AppError(
          'ERR_DIRECTORY_FETCH',
          502,
          `${url} answered neither a signed directory nor JSON.`,
        );
      }
    }
    return importDocument(actor, input, `url:${url}`);
  }

  /**
   * The signed directory kept with a version (the one in force when none is given), for an auditor:
   * the compact JWS as received, its publisher key, and what it says of its own validity.
   */
  async function signedVersion(version?: number) {
    const [row] =
      version === undefined
        ? await db.select().from(directoryVersions).orderBy(desc(directoryVersions.id)).limit(1)
        : await db.select().from(directoryVersions).where(eq(directoryVersions.id, version));
    if (!row)
      throw new NotFoundError('Directory version', version === undefined ? 'current' : String(version));
    if (!row.signedJws)
      throw new AppError(
        'ERR_DIRECTORY_NOT_SIGNED',
        404,
        `Directory version ${row.id} was imported unsigned (or before signed directories were kept): there is no signed document to show.`,
      );
    const document = row.document as DirectoryDocument;
    return {
      version: row.id,
      sha256: row.sha256,
      source: row.source,
      importedAt: row.importedAt.toISOString(),
      importedBy: row.importedBy,
      issuedAt: document.issuedAt,
      validUntil: document.validUntil ?? null,
      publisherKid: row.publisherKid,
      publisherJwk: row.publisherJwk as PublisherKey['publicJwk'] | null,
      jwsSha256: sha256Hex(row.signedJws),
      jws: row.signedJws,
      // Set when the trust anchors stopped verifying it and the node refused to use it.
      refused: row.refusedAt
        ? { at: row.refusedAt.toISOString(), code: row.refusedCode, reason: row.refusedReason }
        : null,
    };
  }

  let timer: NodeJS.Timeout | null = null;
  let trustTimer: NodeJS.Timeout | null = null;
  /**
   * Background work: the version in force is verified against this start's anchors (they may have
   * changed since its import), then every `trustCheckMs` (a key or the document may expire); and
   * the published directory is fetched now and every `refreshMinutes`. Failures are reported, not fatal.
   */
  function startRefresh(onError: (error: unknown) => void, log?: Logger): void {
    if (timer || trustTimer) return;
    logger ??= log;
    const check = () => void recheckTrust().catch(onError);
    check();
    if (anchors.length > 0) {
      trustTimer = setInterval(check, options.trustCheckMs ?? 60_000);
      trustTimer.unref();
    }
    if (!options.url) return;
    const run = () => void refresh().catch(onError);
    run();
    timer = setInterval(run, (options.refreshMinutes ?? 60) * 60_000);
    timer.unref();
  }
  function stopRefresh(): void {
    if (timer) clearInterval(timer);
    if (trustTimer) clearInterval(trustTimer);
    timer = null;
    trustTimer = null;
  }

  return {
    current,
    currentOrNull,
    importDocument,
    refresh,
    recheckTrust,
    signedVersion,
    startRefresh,
    stopRefresh,
    trustsPublishers: anchors.length > 0,
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
