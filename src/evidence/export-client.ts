// Writes an exported package folder from a running node's API: the signed manifest, the files (each
// checked against the manifest as it is written), the custody report with its proofs, the sender's
// keys and a README in the receiving State's language. The export is recorded in the chain of custody.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EvidenceManifest } from '../domain/evidence/index.ts';
import { caseUcoDocument } from './case-uco.ts';
import type { CustodyReport } from './custody-report.ts';
import { EXPORT_FILES, exportedFileName } from './export-layout.ts';
import { type ReadmeLanguage, readmeLanguageFor, readmeText } from './export-readme.ts';

export type ApiAccess = { baseUrl: string; headers: Record<string, string> };

async function getJson<T>(api: ApiAccess, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    ...init,
    headers: { ...api.headers, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok)
    throw Object.assign(new Error(`${response.status}: ${body?.detail ?? response.statusText}`), {
      code: body?.code ?? 'ERR_HTTP',
      status: response.status,
    });
  return body as T;
}

export async function exportPackage(
  api: ApiAccess,
  packageId: string,
  dir: string,
  options: { recipient: string; language?: ReadmeLanguage },
): Promise<{ dir: string; files: number; language: ReadmeLanguage }> {
  const pkg = await getJson<{ jws: string; manifest: EvidenceManifest }>(
    api,
    `/api/v1/evidence/packages/${packageId}`,
  );
  const manifest = pkg.manifest;
  await mkdir(join(dir, EXPORT_FILES.filesDir), { recursive: true });
  for (const [index, item] of manifest.items.entries()) {
    const response = await fetch(`${api.baseUrl}/api/v1/evidence/items/${item.id}/content`, {
      headers: api.headers,
    });
    if (!response.ok || !response.body)
      throw new Error(`item ${item.id}: the node answered ${response.status}`);
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk, _enc, next) {
        hash.update(chunk);
        next(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as never),
      tap,
      createWriteStream(join(dir, EXPORT_FILES.filesDir, exportedFileName(index, item))),
    );
    if (hash.digest('hex') !== item.sha256)
      throw new Error(`item ${item.id}: the bytes received do not match the manifest`);
  }
  await getJson(api, `/api/v1/evidence/packages/${packageId}/handovers`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'EXPORT', recipient: options.recipient }),
  });
  const custody = await getJson<CustodyReport>(api, `/api/v1/evidence/packages/${packageId}/custody`);
  const language = options.language ?? readmeLanguageFor(manifest.recipientState);
  await writeFile(join(dir, EXPORT_FILES.manifestJws), `${pkg.jws}\n`);
  await writeFile(join(dir, EXPORT_FILES.manifestJson), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, EXPORT_FILES.custody), `${JSON.stringify(custody, null, 2)}\n`);
  // The keys that signed the manifest: the sealing State's (the custody report names them; a node
  // older than that field is the sealer itself).
  await writeFile(
    join(dir, EXPORT_FILES.sender),
    `${JSON.stringify(custody.origin ?? custody.signer, null, 2)}\n`,
  );
  const caseUco = caseUcoDocument(manifest, custody.events);
  await writeFile(join(dir, EXPORT_FILES.caseUco), `${JSON.stringify(caseUco, null, 2)}\n`);
  const facts = {
    packageId,
    origin: manifest.originState,
    recipient: manifest.recipientState,
    items: manifest.items.length,
    root: manifest.merkle.root,
    exerciseId: manifest.exerciseId ?? null,
  };
  await writeFile(join(dir, `README.${language}.txt`), readmeText(language, facts));
  return { dir, files: manifest.items.length, language };
}

/**
 * `evidence export --for-hand-delivery`: the node records the delivery in the chain of custody, then
 * the archive it builds (tar) is streamed into `dir`.
 */
export async function exportForHandDelivery(
  api: ApiAccess,
  packageId: string,
  dir: string,
  options: { recipient: string; toState: string; language?: ReadmeLanguage },
): Promise<{ archive: string; auditSeq: number; language: ReadmeLanguage; toState: string }> {
  const recorded = await getJson<{
    archive: string;
    fileName: string;
    auditSeq: number;
    language: ReadmeLanguage;
  }>(api, `/api/v1/evidence/packages/${packageId}/hand-deliveries`, {
    method: 'POST',
    body: JSON.stringify({
      recipient: options.recipient,
      toState: options.toState,
      ...(options.language ? { language: options.language } : {}),
    }),
  });
  const response = await fetch(`${api.baseUrl}${recorded.archive}`, { headers: api.headers });
  if (!response.ok || !response.body) throw new Error(`archive: the node answered ${response.status}`);
  await mkdir(dir, { recursive: true });
  const archive = join(dir, recorded.fileName);
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(archive));
  return { archive, auditSeq: recorded.auditSeq, language: recorded.language, toState: options.toState };
}
