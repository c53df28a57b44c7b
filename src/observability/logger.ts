import pino, { type DestinationStream, type Logger } from 'pino';

// Secrets and personal data must never reach a log line, whichever module logs the object.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.totp',
  '*.token',
  '*.keySecret',
  '*.secrets',
];

/** The node's logger: JSON lines, one request id in every line of a request. */
export function createLogger(level: string, destination?: NodeJS.WritableStream | DestinationStream): Logger {
  return pino(
    { level, base: { service: 'hanoi247' }, redact: { paths: REDACT, censor: '[redacted]' } },
    destination ?? process.stdout,
  );
}
