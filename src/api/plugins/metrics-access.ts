// Who may read /metrics. Its per-route counts and timings tell a stranger what the node does and
// when; Prometheus scrapes it with a bearer token (HANOI247_METRICS_TOKEN). Without a token set, only
// callers on this machine (loopback) are answered: a scraper beside the node, or an SSH tunnel.
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../crypto/hash.ts';
import { AppError, UnauthenticatedError } from '../../shared/errors.ts';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped form. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  return timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
}

/** Throws unless the caller may read the metrics. */
export function checkMetricsAccess(
  token: string | null | undefined,
  authorization: string | undefined,
  remoteAddress: string | undefined,
): void {
  if (token) {
    const given = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (given && sameSecret(given, token)) return;
    throw new UnauthenticatedError(
      'The metrics need the bearer token set in HANOI247_METRICS_TOKEN.',
      'ERR_METRICS_TOKEN',
    );
  }
  if (isLoopback(remoteAddress)) return;
  throw new AppError(
    'ERR_METRICS_LOOPBACK_ONLY',
    403,
    'Without HANOI247_METRICS_TOKEN set, the metrics answer callers on this machine only.',
  );
}
