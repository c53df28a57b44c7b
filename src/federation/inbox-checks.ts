// Checks and refusal records shared by the single and the batch inbox.
import { appendAudit } from '../audit/audit-log.ts';
import { type FreshnessRules, headerProblem, type MessageHeader } from '../domain/federation/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../store/database.ts';
import {
  PeerClockSkewError,
  PeerExpiredError,
  PeerHeaderError,
  PeerRecipientError,
} from './federation-errors.ts';
import type { RefusalSummary } from './refusal-ledger.ts';

/** What is known of a refused message: as much as could be read before the refusal. */
export type Known = { messageId?: string; sender?: string; type?: string };

/** Throws the refusal for the first problem of a well-formed header, if any. */
export function checkHeader(header: MessageHeader, self: string, now: Date, rules: FreshnessRules): void {
  const problem = headerProblem(header, self, now, rules);
  if (!problem) return;
  if (problem.kind === 'recipient') throw new PeerRecipientError(problem.message);
  if (problem.kind === 'expired') throw new PeerExpiredError(problem.message);
  if (problem.kind === 'skew') throw new PeerClockSkewError(problem.message);
  throw new PeerHeaderError(problem.message);
}

/** The audit entry of a refused message, in the caller's transaction: its hash and the reason, never its content. */
export async function auditRefusal(
  tx: Db,
  error: unknown,
  known: Known,
  bodySha256: string,
  now: Date,
): Promise<void> {
  const code = error instanceof AppError ? error.code : 'ERR_INTERNAL';
  await appendAudit(
    tx,
    {
      actor: known.sender ? `node:${known.sender}` : 'node:unknown',
      action: 'federation.refuse',
      objectType: 'federation_message',
      objectId: known.messageId ?? bodySha256,
      payload: { code, bodySha256, type: known.type ?? null },
    },
    now,
  );
}

/**
 * One audit entry for the refusals of unproven senders counted at one address in one window: how
 * many and which codes. The address only as a hash (it may be a person's).
 */
export async function auditRefusalSummary(tx: Db, summary: RefusalSummary, now: Date): Promise<void> {
  await appendAudit(
    tx,
    {
      actor: 'node:unknown',
      action: 'federation.refuse_summary',
      objectType: 'peer_address',
      objectId: `address-sha256:${summary.addressSha256}`,
      payload: {
        count: summary.count,
        codes: summary.codes,
        windowStart: new Date(summary.windowStart).toISOString(),
      },
    },
    now,
  );
}
