// Checks a regional aggregate file anyone received (`{ aggregate, jws }` as the hub serves it): the JWS
// verifies with one of the hub's signing keys, the readable aggregate is exactly what was signed, and
// each member it sums is named with its report and the audit tree size and root that report was
// computed at, so a reader can fetch and verify each member's own report. The same codes as a report.
import { isDeepStrictEqual } from 'node:util';
import type { Jwk } from '../crypto/node-keys.ts';
import { AGGREGATE_FORMAT, type RegionalAggregate } from './regional-aggregate-document.ts';
import { ReportVerificationError, readSignedFile, verified } from './verify-report.ts';

const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a file (or bare JWS) claims to be a regional aggregate: read before any check. */
export function isAggregateFile(input: unknown): boolean {
  const o = input as { aggregate?: unknown; jws?: unknown } | null;
  if (o && typeof o === 'object' && o.aggregate !== undefined) return true;
  try {
    const jws = typeof input === 'string' ? input : String(o?.jws ?? '');
    const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return payload?.format === AGGREGATE_FORMAT;
  } catch {
    return false;
  }
}

/** The hub an aggregate names, read before its signature is checked (to find the keys). */
export function claimedHub(input: unknown): string {
  const o = input as { aggregate?: { hub?: unknown }; jws?: unknown } | null;
  if (typeof o?.aggregate?.hub === 'string') return o.aggregate.hub;
  try {
    const jws = typeof input === 'string' ? input : String(o?.jws ?? '');
    return String(JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')).hub);
  } catch {
    throw new ReportVerificationError('ERR_REPORT_FORMAT', 'This is not a signed regional aggregate.');
  }
}

function checkMembers(aggregate: RegionalAggregate): void {
  const fail = (why: string) => {
    throw new ReportVerificationError(
      'ERR_REPORT_FORMAT',
      `The regional aggregate is not well formed: ${why}.`,
    );
  };
  if (!Array.isArray(aggregate.members) || aggregate.members.length === 0) fail('it names no member');
  const seen = new Set<string>();
  for (const m of aggregate.members) {
    if (typeof m?.node !== 'string' || m.node === '') fail('a member has no node');
    if (seen.has(m.node)) fail(`member ${m.node} is summed twice`);
    seen.add(m.node);
    if (!UUID.test(String(m.reportId))) fail(`the report id of ${m.node} is not a UUID`);
    if (!Number.isInteger(m.treeSize) || m.treeSize < 0)
      fail(`the audit tree size of ${m.node} is not a whole number`);
    if (!HEX64.test(String(m.rootHash)))
      fail(`the audit root hash of ${m.node} is not 64 lowercase hexadecimal digits`);
  }
  if (!Array.isArray(aggregate.figures)) fail('it has no figures');
}

/** Verifies a regional aggregate file; returns the signed aggregate. Throws ReportVerificationError. */
export async function verifyAggregateFile(input: unknown, keys: readonly Jwk[]): Promise<RegionalAggregate> {
  const file = readSignedFile(input, 'aggregate');
  const signed = (await verified(file.jws, keys, 'regional aggregate')) as RegionalAggregate;
  if (signed?.format !== AGGREGATE_FORMAT) {
    throw new ReportVerificationError(
      'ERR_REPORT_FORMAT',
      `The signed document is not a ${AGGREGATE_FORMAT} regional aggregate.`,
    );
  }
  if (file.document !== undefined && !isDeepStrictEqual(file.document, signed)) {
    throw new ReportVerificationError(
      'ERR_REPORT_MISMATCH',
      'The readable aggregate differs from the one the hub signed: it was changed after signing.',
    );
  }
  checkMembers(signed);
  return signed;
}
