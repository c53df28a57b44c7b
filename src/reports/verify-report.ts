// Checks a report file anyone received: the JWS verifies with one of the publishing node's signing
// keys, the readable report is exactly what was signed, and the checkpoint is a well-formed tree head
// of the same log signed by the same node. Each failure has its own code and a sentence that says it.
import { isDeepStrictEqual } from 'node:util';
import { type Jwk, SignatureError, verifyJson } from '../crypto/node-keys.ts';
import { AppError } from '../shared/errors.ts';
import { type IndicatorReport, REPORT_FORMAT } from './report-document.ts';

export class ReportVerificationError extends AppError {
  constructor(code: string, message: string) {
    super(code, 400, message);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The JWS and the readable document (under `field`) of a file, or the bare compact JWS. */
export function readSignedFile(input: unknown, field = 'report'): { jws: string; document: unknown } {
  if (typeof input === 'string' && input.split('.').length === 3)
    return { jws: input.trim(), document: undefined };
  const o = input as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || typeof o.jws !== 'string') {
    throw new ReportVerificationError(
      'ERR_REPORT_FORMAT',
      `This is not a signed ${field === 'report' ? 'report' : 'regional aggregate'}: expected JSON with "${field}" and "jws" (as ${field === 'report' ? '`report build` writes' : 'the hub serves it'}), or a compact JWS.`,
    );
  }
  return { jws: o.jws, document: o[field] };
}

export async function verified(jws: string, keys: readonly Jwk[], what: string): Promise<unknown> {
  try {
    return await verifyJson(jws, keys);
  } catch (err) {
    const why = err instanceof SignatureError ? err.message : 'it could not be read';
    throw new ReportVerificationError(
      what === 'checkpoint' ? 'ERR_REPORT_CHECKPOINT' : 'ERR_REPORT_SIGNATURE',
      `The ${what} signature is not valid: ${why}.`,
    );
  }
}

function checkCheckpoint(report: IndicatorReport, head: unknown): void {
  const c = report.checkpoint;
  const fail = (why: string) => {
    throw new ReportVerificationError('ERR_REPORT_CHECKPOINT', `The audit checkpoint does not hold: ${why}.`);
  };
  if (!c || !Number.isInteger(c.treeSize) || c.treeSize < 0) fail('treeSize must be a whole number');
  if (!HEX64.test(String(c.rootHash))) fail('rootHash must be 64 lowercase hexadecimal digits');
  const h = head as { typ?: unknown; node?: unknown; treeSize?: unknown; rootHash?: unknown };
  if (h?.typ !== 'hanoi247-tree-head') fail('its signed statement is not a tree head');
  if (h.node !== report.node) fail(`the tree head is of node ${String(h.node)}, not ${report.node}`);
  if (h.treeSize !== c.treeSize || h.rootHash !== c.rootHash)
    fail('the signed tree head names another size or root hash than the report');
}

/** Verifies a report file; returns the signed report. Throws ReportVerificationError. */
export async function verifyReportFile(input: unknown, keys: readonly Jwk[]): Promise<IndicatorReport> {
  const file = readSignedFile(input);
  const signed = (await verified(file.jws, keys, 'report')) as IndicatorReport;
  if (signed?.format !== REPORT_FORMAT) {
    throw new ReportVerificationError(
      'ERR_REPORT_FORMAT',
      `The signed document is not a ${REPORT_FORMAT} report.`,
    );
  }
  if (file.document !== undefined && !isDeepStrictEqual(file.document, signed)) {
    throw new ReportVerificationError(
      'ERR_REPORT_MISMATCH',
      'The readable report differs from the one the node signed: it was changed after signing.',
    );
  }
  if (typeof signed.checkpoint?.jws !== 'string') {
    throw new ReportVerificationError(
      'ERR_REPORT_CHECKPOINT',
      'The report carries no signed audit checkpoint.',
    );
  }
  checkCheckpoint(signed, await verified(signed.checkpoint.jws, keys, 'checkpoint'));
  return signed;
}
