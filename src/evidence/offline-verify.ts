// Checks an exported package with nothing but the folder (and, better, a key taken from the signed
// directory): the manifest signature, every file's size, SHA-256 and chunk Merkle root, the package
// root, and every custody event's inclusion in the signed audit tree head. No node, no database.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { auditLeafHash } from '../audit/audit-entry.ts';
import { payloadHash } from '../crypto/hash.ts';
import { verifyInclusion } from '../crypto/merkle.ts';
import { type Jwk, verifyJson } from '../crypto/node-keys.ts';
import { type EvidenceManifest, MANIFEST_TYPE } from '../domain/evidence/index.ts';
import type { CustodyEntry, CustodyReport } from './custody-report.ts';
import { EXPORT_FILES, exportedFileName } from './export-layout.ts';
import { digestFile } from './file-digest.ts';
import { packageRoot } from './package-manifest.ts';

export type Check = { check: string; ok: boolean; detail: string };
export type Verification = {
  ok: boolean;
  packageId: string | null;
  signerKid: string | null;
  checks: Check[];
};

type Sender = { state: string; signingKeys: { kid: string; publicJwk: Jwk }[] };

export async function verifyExport(
  dir: string,
  options: { trustedKeys?: Jwk[] } = {},
): Promise<Verification> {
  const checks: Check[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const done = (packageId: string | null, signerKid: string | null): Verification => ({
    ok: checks.length > 0 && checks.every((c) => c.ok),
    packageId,
    signerKid,
    checks,
  });
  const jws = (await readFile(join(dir, EXPORT_FILES.manifestJws), 'utf8').catch(() => null))?.trim();
  if (!jws) {
    add('manifest', false, `${EXPORT_FILES.manifestJws} is missing`);
    return done(null, null);
  }
  const sender = JSON.parse(
    await readFile(join(dir, EXPORT_FILES.sender), 'utf8').catch(() => 'null'),
  ) as Sender | null;
  const keys = options.trustedKeys ?? sender?.signingKeys.map((k) => ({ ...k.publicJwk, kid: k.kid })) ?? [];
  let manifest: EvidenceManifest;
  const signerKid =
    JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8') || '{}').kid ?? null;
  try {
    manifest = (await verifyJson(jws, keys)) as EvidenceManifest;
    add(
      'signature',
      true,
      `manifest signed by key ${signerKid}${options.trustedKeys ? ' (a key you supplied)' : ` of ${sender?.state ?? '?'} (the key in ${EXPORT_FILES.sender}: compare it with the signed directory)`}`,
    );
  } catch (error) {
    add('signature', false, `the manifest signature does not verify: ${(error as Error).message}`);
    return done(null, signerKid);
  }
  if (manifest.typ !== MANIFEST_TYPE)
    add('manifest', false, `not an evidence manifest (${String(manifest.typ)})`);
  const root = packageRoot(manifest.items);
  add(
    'package root',
    root === manifest.merkle.root,
    `Merkle root over ${manifest.items.length} item(s): ${root}`,
  );
  for (const [index, item] of manifest.items.entries()) {
    const path = join(dir, EXPORT_FILES.filesDir, exportedFileName(index, item));
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      add(`file ${item.fileName}`, false, `${path} is missing`);
      continue;
    }
    const digest = await digestFile(path, manifest.chunkSize);
    const problems = [
      digest.size !== item.size ? `size ${digest.size}, manifest ${item.size}` : null,
      digest.sha256 !== item.sha256 ? `SHA-256 ${digest.sha256}, manifest ${item.sha256}` : null,
      digest.chunkRoot !== item.chunkRoot ? 'chunk Merkle root differs' : null,
    ].filter((p) => p !== null);
    add(
      `file ${item.fileName}`,
      problems.length === 0,
      problems.join('; ') || `SHA-256 ${item.sha256}, ${item.size} bytes`,
    );
  }
  await checkCustody(dir, manifest, keys, add);
  return done(manifest.packageId, signerKid);
}

async function checkCustody(
  dir: string,
  manifest: EvidenceManifest,
  keys: Jwk[],
  add: (check: string, ok: boolean, detail: string) => void,
): Promise<void> {
  const text = await readFile(join(dir, EXPORT_FILES.custody), 'utf8').catch(() => null);
  if (!text) return add('custody', false, `${EXPORT_FILES.custody} is missing`);
  const report = JSON.parse(text) as CustodyReport;
  const head = report.treeHead;
  // A package exported by the State that received it: its custody is that node's log, signed by it.
  const byReceiver = report.signer && report.signer.state !== manifest.originState;
  const headKeys = byReceiver
    ? report.signer.signingKeys.map((k) => ({ ...(k.publicJwk as Jwk), kid: k.kid }))
    : keys;
  try {
    const signed = (await verifyJson(head.jws, headKeys)) as { treeSize: number; rootHash: string };
    const same = signed.treeSize === head.treeSize && signed.rootHash === head.rootHash;
    add(
      'tree head',
      same,
      `audit tree head of ${head.treeSize} entries, root ${head.rootHash}, signed${byReceiver ? ` by ${report.signer.state} (the key in ${EXPORT_FILES.custody})` : ''}`,
    );
  } catch (error) {
    return add('tree head', false, `the tree head signature does not verify: ${(error as Error).message}`);
  }
  if (report.package.id !== manifest.packageId)
    add('custody', false, `the report is about package ${report.package.id}, not ${manifest.packageId}`);
  let proven = 0;
  for (const e of report.events) {
    if (custodyEventProven(e, head)) proven++;
    else add(`custody #${e.seq}`, false, `${e.action} at ${e.at} is not in the signed audit log as shown`);
  }
  add(
    'custody',
    proven === report.events.length,
    `${proven} of ${report.events.length} custody events proven in the audit log`,
  );
}

/** Whether a custody event, its details hashed again, is the audit entry its proof places under the head. */
export function custodyEventProven(e: CustodyEntry, head: { treeSize: number; rootHash: string }): boolean {
  const leaf = auditLeafHash({
    seq: e.seq,
    at: new Date(e.at),
    actor: e.actor,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    payloadHash: payloadHash(e.details),
  });
  return verifyInclusion(
    e.leafIndex,
    head.treeSize,
    Buffer.from(leaf, 'hex'),
    e.auditPath.map((h) => Buffer.from(h, 'hex')),
    Buffer.from(head.rootHash, 'hex'),
  );
}
