import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';
import { type PublisherKey, readPublisherKeys } from './directory/publisher-keys.ts';
import { parseRegion, type Region } from './domain/indicators-report/region.ts';
import { isReportSchedule, type ReportSchedule } from './domain/indicators-report/schedule.ts';
// Not the requests barrel: it brings the request schemas (TypeBox, some 680 modules), which a command
// such as `init` never uses.
import { parseRequestPolicy, type RequestPolicy } from './domain/requests/request-policy.ts';

/** The one typed configuration of a node. Secrets are kept apart so they are never logged. */
export type Config = {
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | null;
  dataDir: string;
  nodeState: string;
  nodeName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  requireTotp: boolean;
  sessionTtlMinutes: number;
  cookieSecure: boolean;
  loginMaxAttempts: number;
  loginLockMinutes: number;
  /** Seconds an API token, once checked, is trusted without the database (0: every call checks). */
  tokenCacheSeconds: number;
  treeHeadIntervalSeconds: number;
  /** Seconds between keep-alive comments (and credential checks) on the live request stream. */
  eventsHeartbeatSeconds: number;
  /** How often the hub takes alerts whose window closed out of its index and tells subscribers. */
  hubSweepSeconds: number;
  /** How long a stop (SIGTERM) may take: in-flight work drains, then the process exits regardless. */
  shutdownSeconds: number;
  bodyLimitBytes: number;
  demo: boolean;
  /** Where notifications go besides the in-app list: signed webhooks and, when configured, e-mail. */
  notify: { webhookUrls: string[]; smtpUrl: string | null; mailFrom: string; mailTo: string[] };
  /** Deadlines and preservation periods (a JSON file); null: the defaults of the request domain. */
  requestPolicy?: RequestPolicy | null;
  /**
   * metricsToken: the bearer token /metrics asks for (HANOI247_METRICS_TOKEN); unset, /metrics answers
   * loopback callers only.
   */
  secrets: { keySecret: string | null; webhookSecret?: string | null; metricsToken?: string | null };
  /** Trust anchors of the directory (HANOI247_DIRECTORY_PUBLISHER_KEYS); null: unsigned imports accepted. */
  directoryPublisherKeys?: PublisherKey[] | null;
  /** Where a newer signed directory is fetched from, and how often (minutes). */
  directoryUrl?: string | null;
  directoryRefreshMinutes?: number;
  /**
   * Evidence packages: where the encrypted bytes live (a folder, or an S3-compatible bucket when `s3`
   * is set), and the largest item accepted (bytes).
   */
  evidence?: { dir: string; maxUploadBytes: number; s3?: EvidenceS3Config | null };
  /** The region whose hub aggregates the members' released implementation reports; null: none. */
  reportRegion?: Region | null;
  /** Build the report of each quarter (or month) once it is over; null: only on demand. */
  reportSchedule?: ReportSchedule | null;
};

/** An S3-compatible bucket for evidence (HANOI247_EVIDENCE_S3_*). */
export type EvidenceS3Config = {
  bucket: string;
  /** Key prefix inside the bucket ('' or ending in '/'). */
  prefix: string;
  region: string;
  /** For S3-compatible services other than AWS; null: AWS's own endpoint for the region. */
  endpoint: string | null;
  /** Path-style URLs (bucket in the path), which most self-hosted services need. */
  forcePathStyle: boolean;
  /** null: the SDK's usual sources (AWS_* variables, shared files, instance roles). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
};

export { ConfigError } from './config-error.ts';

type Raw = Record<string, string | undefined>;

// Environment names and their config-file keys. The file (JSON, HANOI247_CONFIG) uses the camelCase keys.
const SETTINGS = {
  HOST: 'host',
  PORT: 'port',
  HANOI247_PUBLIC_URL: 'publicUrl',
  DATABASE_URL: 'databaseUrl',
  HANOI247_DATA_DIR: 'dataDir',
  HANOI247_NODE_STATE: 'nodeState',
  HANOI247_NODE_NAME: 'nodeName',
  HANOI247_LOG_LEVEL: 'logLevel',
  HANOI247_REQUIRE_TOTP: 'requireTotp',
  HANOI247_SESSION_TTL_MINUTES: 'sessionTtlMinutes',
  HANOI247_COOKIE_SECURE: 'cookieSecure',
  HANOI247_LOGIN_MAX_ATTEMPTS: 'loginMaxAttempts',
  HANOI247_LOGIN_LOCK_MINUTES: 'loginLockMinutes',
  HANOI247_TOKEN_CACHE_SECONDS: 'tokenCacheSeconds',
  HANOI247_TREE_HEAD_INTERVAL_SECONDS: 'treeHeadIntervalSeconds',
  HANOI247_EVENTS_HEARTBEAT_SECONDS: 'eventsHeartbeatSeconds',
  HANOI247_HUB_SWEEP_SECONDS: 'hubSweepSeconds',
  HANOI247_SHUTDOWN_SECONDS: 'shutdownSeconds',
  HANOI247_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  HANOI247_DEMO: 'demo',
  HANOI247_KEY_SECRET: 'keySecret',
  HANOI247_WEBHOOK_URLS: 'webhookUrls',
  HANOI247_WEBHOOK_SECRET: 'webhookSecret',
  HANOI247_METRICS_TOKEN: 'metricsToken',
  HANOI247_SMTP_URL: 'smtpUrl',
  HANOI247_MAIL_FROM: 'mailFrom',
  HANOI247_MAIL_TO: 'mailTo',
  HANOI247_REQUEST_POLICY_FILE: 'requestPolicyFile',
  HANOI247_DIRECTORY_PUBLISHER_KEYS: 'directoryPublisherKeys',
  HANOI247_DIRECTORY_URL: 'directoryUrl',
  HANOI247_DIRECTORY_REFRESH_MINUTES: 'directoryRefreshMinutes',
  HANOI247_EVIDENCE_DIR: 'evidenceDir',
  HANOI247_EVIDENCE_MAX_BYTES: 'evidenceMaxBytes',
  HANOI247_REPORT_REGION: 'reportRegion',
  HANOI247_REPORT_REGION_HUB: 'reportRegionHub',
  HANOI247_REPORT_REGION_MEMBERS: 'reportRegionMembers',
  HANOI247_REPORT_SCHEDULE: 'reportSchedule',
  HANOI247_EVIDENCE_S3_BUCKET: 'evidenceS3Bucket',
  HANOI247_EVIDENCE_S3_PREFIX: 'evidenceS3Prefix',
  HANOI247_EVIDENCE_S3_REGION: 'evidenceS3Region',
  HANOI247_EVIDENCE_S3_ENDPOINT: 'evidenceS3Endpoint',
  HANOI247_EVIDENCE_S3_FORCE_PATH_STYLE: 'evidenceS3ForcePathStyle',
  HANOI247_EVIDENCE_S3_ACCESS_KEY_ID: 'evidenceS3AccessKeyId',
  HANOI247_EVIDENCE_S3_SECRET_ACCESS_KEY: 'evidenceS3SecretAccessKey',
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Step one: the environment (and the optional JSON file it names) as a flat map of strings. */
export function readRawConfig(env: NodeJS.ProcessEnv = process.env): Raw {
  const raw: Raw = {};
  const file = env.HANOI247_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`HANOI247_CONFIG: cannot read ${file} as JSON (${(error as Error).message})`]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([`HANOI247_CONFIG: ${file} must hold a JSON object`]);
    }
    for (const [envName, key] of Object.entries(SETTINGS)) {
      const value = (parsed as Record<string, unknown>)[key];
      // A structured value (the publisher keys) is kept as its JSON.
      if (value !== undefined && value !== null)
        raw[envName] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  }
  for (const envName of Object.keys(SETTINGS)) {
    const value = env[envName];
    if (value !== undefined && value !== '') raw[envName] = value;
  }
  return raw;
}

/** Step two: validate and default, listing every problem at once. */
export function parseConfig(raw: Raw, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw[name];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: '${value}' must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = raw[name];
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
    problems.push(`${name}: '${value}' must be true or false`);
    return fallback;
  };
  const port = int('PORT', 8247, 0, 65535);
  const host = raw.HOST ?? '127.0.0.1';
  const databaseUrl = raw.DATABASE_URL ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL: must start with postgres:// or postgresql://`);
  }
  const nodeState = (raw.HANOI247_NODE_STATE ?? 'VN').toUpperCase();
  if (!/^[A-Z]{2}$/.test(nodeState)) {
    problems.push(`HANOI247_NODE_STATE: '${raw.HANOI247_NODE_STATE}' must be a two-letter ISO 3166-1 code`);
  }
  const logLevel = (raw.HANOI247_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`HANOI247_LOG_LEVEL: '${logLevel}' must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const publicUrl = raw.HANOI247_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    new URL(publicUrl);
  } catch {
    problems.push(`HANOI247_PUBLIC_URL: '${publicUrl}' is not a URL`);
  }
  const config: Config = {
    host,
    port,
    publicUrl,
    databaseUrl,
    dataDir: resolve(raw.HANOI247_DATA_DIR ?? 'data'),
    nodeState,
    nodeName: raw.HANOI247_NODE_NAME ?? `hanoi247 node ${nodeState}`,
    logLevel,
    requireTotp: bool('HANOI247_REQUIRE_TOTP', false),
    sessionTtlMinutes: int('HANOI247_SESSION_TTL_MINUTES', 720, 1, 60 * 24 * 30),
    cookieSecure: bool('HANOI247_COOKIE_SECURE', publicUrl.startsWith('https:')),
    loginMaxAttempts: int('HANOI247_LOGIN_MAX_ATTEMPTS', 5, 1, 100),
    loginLockMinutes: int('HANOI247_LOGIN_LOCK_MINUTES', 15, 1, 60 * 24),
    tokenCacheSeconds: int('HANOI247_TOKEN_CACHE_SECONDS', 2, 0, 60),
    treeHeadIntervalSeconds: int('HANOI247_TREE_HEAD_INTERVAL_SECONDS', 10, 1, 86400),
    eventsHeartbeatSeconds: int('HANOI247_EVENTS_HEARTBEAT_SECONDS', 15, 1, 3600),
    hubSweepSeconds: int('HANOI247_HUB_SWEEP_SECONDS', 60, 1, 3600),
    shutdownSeconds: int('HANOI247_SHUTDOWN_SECONDS', 20, 2, 600),
    bodyLimitBytes: int('HANOI247_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    demo: bool('HANOI247_DEMO', false),
    notify: notifySettings(raw, problems),
    requestPolicy: requestPolicyFrom(raw.HANOI247_REQUEST_POLICY_FILE, problems),
    directoryPublisherKeys: publisherKeysFrom(raw.HANOI247_DIRECTORY_PUBLISHER_KEYS, problems),
    directoryUrl: directoryUrlFrom(raw.HANOI247_DIRECTORY_URL, problems),
    directoryRefreshMinutes: int('HANOI247_DIRECTORY_REFRESH_MINUTES', 60, 1, 7 * 24 * 60),
    evidence: {
      dir: resolve(raw.HANOI247_EVIDENCE_DIR ?? join(raw.HANOI247_DATA_DIR ?? 'data', 'evidence')),
      // 64 GiB by default: disk images of tens of GB are ordinary evidence.
      maxUploadBytes: int('HANOI247_EVIDENCE_MAX_BYTES', 64 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
      s3: evidenceS3From(raw, problems),
    },
    reportRegion: regionFrom(raw, problems),
    reportSchedule: scheduleFrom(raw.HANOI247_REPORT_SCHEDULE, problems),
    secrets: {
      keySecret: raw.HANOI247_KEY_SECRET ?? null,
      webhookSecret: raw.HANOI247_WEBHOOK_SECRET ?? null,
      metricsToken: raw.HANOI247_METRICS_TOKEN ?? null,
    },
    ...overrides,
  };
  if (config.secrets.keySecret !== null && config.secrets.keySecret.length < 12) {
    problems.push('HANOI247_KEY_SECRET: must be at least 12 characters');
  }
  if ((config.secrets.metricsToken ?? '').length > 0 && config.secrets.metricsToken!.length < 24) {
    problems.push('HANOI247_METRICS_TOKEN: must be at least 24 characters');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function scheduleFrom(value: string | undefined, problems: string[]): ReportSchedule | null {
  if (value === undefined || value === '' || value === 'off') return null;
  if (isReportSchedule(value)) return value;
  problems.push(`HANOI247_REPORT_SCHEDULE: '${value}' must be quarterly, monthly or off`);
  return null;
}

function regionFrom(raw: Raw, problems: string[]): Region | null {
  const parsed = parseRegion(
    raw.HANOI247_REPORT_REGION,
    raw.HANOI247_REPORT_REGION_HUB,
    raw.HANOI247_REPORT_REGION_MEMBERS,
  );
  problems.push(...parsed.problems);
  return parsed.region;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

function notifySettings(raw: Raw, problems: string[]): Config['notify'] {
  const webhookUrls = list(raw.HANOI247_WEBHOOK_URLS);
  for (const url of webhookUrls) {
    if (!/^https?:\/\/[^\s]+$/.test(url))
      problems.push(`HANOI247_WEBHOOK_URLS: '${url}' is not an http(s) URL`);
  }
  if (webhookUrls.length > 0 && (raw.HANOI247_WEBHOOK_SECRET ?? '').length < 16) {
    problems.push('HANOI247_WEBHOOK_SECRET: webhooks are signed with a secret of at least 16 characters');
  }
  const smtpUrl = raw.HANOI247_SMTP_URL ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
    problems.push('HANOI247_SMTP_URL: must start with smtp:// or smtps://');
  }
  const mailTo = list(raw.HANOI247_MAIL_TO);
  if (smtpUrl !== null && mailTo.length === 0)
    problems.push('HANOI247_MAIL_TO: needed when HANOI247_SMTP_URL is set');
  return { webhookUrls, smtpUrl, mailFrom: raw.HANOI247_MAIL_FROM ?? 'hanoi247@localhost', mailTo };
}

function publisherKeysFrom(setting: string | undefined, problems: string[]): PublisherKey[] | null {
  if (setting === undefined) return null;
  try {
    return readPublisherKeys(setting);
  } catch (error) {
    problems.push(`HANOI247_DIRECTORY_PUBLISHER_KEYS: ${(error as Error).message}`);
    return null;
  }
}

/** The evidence bucket, when HANOI247_EVIDENCE_S3_BUCKET names one; null keeps evidence in a folder. */
function evidenceS3From(raw: Raw, problems: string[]): EvidenceS3Config | null {
  const bucket = raw.HANOI247_EVIDENCE_S3_BUCKET;
  if (!bucket) return null;
  const endpoint = raw.HANOI247_EVIDENCE_S3_ENDPOINT ?? null;
  if (endpoint !== null && !/^https?:\/\/[^/]+/.test(endpoint))
    problems.push('HANOI247_EVIDENCE_S3_ENDPOINT: must be an http:// or https:// URL');
  let prefix = raw.HANOI247_EVIDENCE_S3_PREFIX ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  const accessKeyId = raw.HANOI247_EVIDENCE_S3_ACCESS_KEY_ID;
  const secretAccessKey = raw.HANOI247_EVIDENCE_S3_SECRET_ACCESS_KEY;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    problems.push(
      'HANOI247_EVIDENCE_S3_ACCESS_KEY_ID and HANOI247_EVIDENCE_S3_SECRET_ACCESS_KEY: set both or neither',
    );
  const pathStyle = (
    raw.HANOI247_EVIDENCE_S3_FORCE_PATH_STYLE ?? (endpoint ? 'true' : 'false')
  ).toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(pathStyle))
    problems.push('HANOI247_EVIDENCE_S3_FORCE_PATH_STYLE: must be true or false');
  return {
    bucket,
    prefix,
    region: raw.HANOI247_EVIDENCE_S3_REGION ?? 'us-east-1',
    endpoint,
    // Self-hosted services (an endpoint is given) usually want the bucket in the path.
    forcePathStyle: ['true', '1', 'yes'].includes(pathStyle),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
  };
}

function directoryUrlFrom(url: string | undefined, problems: string[]): string | null {
  if (url === undefined) return null;
  if (!/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(\/|$))/.test(url))
    problems.push('HANOI247_DIRECTORY_URL: must be an https:// URL (http:// only on a loopback address)');
  return url;
}

function requestPolicyFrom(file: string | undefined, problems: string[]): RequestPolicy | null {
  if (file === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`HANOI247_REQUEST_POLICY_FILE: cannot read ${file} as JSON (${(error as Error).message})`);
    return null;
  }
  const parsed = parseRequestPolicy(value);
  if (parsed.ok) return parsed.policy;
  problems.push(...parsed.problems.map((p) => `HANOI247_REQUEST_POLICY_FILE: ${p}`));
  return null;
}

/** Reads and validates the configuration from the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return parseConfig(readRawConfig(env), overrides);
}
