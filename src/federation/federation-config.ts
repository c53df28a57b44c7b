// Federation timings from the environment, for operators and for fault tests that run real node
// processes: how often the sender looks for work, how long a claim lasts, how it backs off.
import { ConfigError } from '../config.ts';
import { DEFAULT_FEDERATION, type FederationOptions } from './federation-service.ts';

const SETTINGS = {
  HANOI247_FEDERATION_RETRY_BASE_MS: { min: 1, max: 3_600_000 },
  HANOI247_FEDERATION_RETRY_MAX_MS: { min: 1, max: 24 * 3_600_000 },
  HANOI247_FEDERATION_MAX_ATTEMPTS: { min: 1, max: 1_000_000 },
  // A receiver refuses a message that lives longer than 7 days (message-header.ts): the window ends there.
  HANOI247_FEDERATION_RETRY_HOURS: { min: 1, max: 168 },
  HANOI247_FEDERATION_POLL_MS: { min: 10, max: 3_600_000 },
  HANOI247_FEDERATION_LEASE_MS: { min: 100, max: 3_600_000 },
  HANOI247_FEDERATION_TIMEOUT_MS: { min: 100, max: 600_000 },
  HANOI247_FEDERATION_BATCH_SIZE: { min: 1, max: 1_000 },
  HANOI247_FEDERATION_ROUNDS: { min: 1, max: 16 },
} as const;

/** The federation options the environment sets (the rest keep their defaults); every problem at once. */
export function federationOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<FederationOptions> {
  const problems: string[] = [];
  const read = (name: keyof typeof SETTINGS): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    const { min, max } = SETTINGS[name];
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: '${value}' must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    return n;
  };
  const base = read('HANOI247_FEDERATION_RETRY_BASE_MS');
  const maxMs = read('HANOI247_FEDERATION_RETRY_MAX_MS');
  const attempts = read('HANOI247_FEDERATION_MAX_ATTEMPTS');
  const hours = read('HANOI247_FEDERATION_RETRY_HOURS');
  const options: Partial<FederationOptions> = {};
  if (base !== undefined || maxMs !== undefined || attempts !== undefined || hours !== undefined) {
    const windowMs = hours === undefined ? DEFAULT_FEDERATION.retry.windowMs : hours * 3_600_000;
    options.retry = {
      baseMs: base ?? DEFAULT_FEDERATION.retry.baseMs,
      maxMs: maxMs ?? DEFAULT_FEDERATION.retry.maxMs,
      ...(attempts === undefined ? {} : { maxAttempts: attempts }),
      ...(windowMs === undefined ? {} : { windowMs }),
    };
  }
  const poll = read('HANOI247_FEDERATION_POLL_MS');
  if (poll !== undefined) options.pollMs = poll;
  const lease = read('HANOI247_FEDERATION_LEASE_MS');
  if (lease !== undefined) options.leaseMs = lease;
  const timeout = read('HANOI247_FEDERATION_TIMEOUT_MS');
  if (timeout !== undefined) options.timeoutMs = timeout;
  const batch = read('HANOI247_FEDERATION_BATCH_SIZE');
  if (batch !== undefined) options.batchSize = batch;
  const rounds = read('HANOI247_FEDERATION_ROUNDS');
  if (rounds !== undefined) options.rounds = rounds;
  if (options.retry && options.retry.maxMs < options.retry.baseMs)
    problems.push('HANOI247_FEDERATION_RETRY_MAX_MS: must not be less than the base delay');
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}
