import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../src/config.ts';
import { federationOptionsFromEnv } from '../src/federation/federation-config.ts';
import { DEFAULT_FEDERATION } from '../src/federation/federation-service.ts';

test('defaults give a working local configuration', () => {
  const config = parseConfig({});
  assert.equal(config.port, 8247);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, null);
  assert.equal(config.nodeState, 'VN');
  assert.equal(config.publicUrl, 'http://127.0.0.1:8247');
});

test('every invalid setting is named at once', () => {
  assert.throws(
    () =>
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        HANOI247_NODE_STATE: 'VNM',
        HANOI247_LOG_LEVEL: 'loud',
        HANOI247_REQUIRE_TOTP: 'maybe',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'HANOI247_NODE_STATE',
        'HANOI247_LOG_LEVEL',
        'HANOI247_REQUIRE_TOTP',
      ]) {
        assert.match(text, new RegExp(`^${name}:`, 'm'));
      }
      return true;
    },
  );
});

test('a short key secret is refused', () => {
  assert.throws(() => parseConfig({ HANOI247_KEY_SECRET: 'short' }), /HANOI247_KEY_SECRET/);
});

test('the CLI stops on invalid configuration with one clear line and exit code 1', () => {
  const result = spawnSync(process.execPath, ['src/cli/main.ts', 'db', 'migrate'], {
    env: { ...process.env, PORT: '99999', DATABASE_URL: '' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 1);
  assert.equal(result.stderr.trim(), "configuration: PORT: '99999' must be a whole number from 0 to 65535");
});

test('the federation sender reads its batch size and rounds in flight; a bad value names the variable', () => {
  assert.deepEqual(
    federationOptionsFromEnv({ HANOI247_FEDERATION_BATCH_SIZE: '64', HANOI247_FEDERATION_ROUNDS: '4' }),
    { batchSize: 64, rounds: 4 },
  );
  assert.equal(DEFAULT_FEDERATION.rounds, 3);
  assert.throws(
    () => federationOptionsFromEnv({ HANOI247_FEDERATION_ROUNDS: '0' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /HANOI247_FEDERATION_ROUNDS: '0' must be a whole number from 1 to 16/.test(error.message),
  );
});

test('evidence goes to an S3-compatible bucket when one is named; a half-set credential is refused', () => {
  assert.equal(parseConfig({}).evidence?.s3, null);
  const s3 = parseConfig({
    HANOI247_EVIDENCE_S3_BUCKET: 'evidence',
    HANOI247_EVIDENCE_S3_ENDPOINT: 'http://127.0.0.1:9000',
    HANOI247_EVIDENCE_S3_PREFIX: 'vn',
    HANOI247_EVIDENCE_S3_ACCESS_KEY_ID: 'id',
    HANOI247_EVIDENCE_S3_SECRET_ACCESS_KEY: 'secret',
  }).evidence?.s3;
  assert.deepEqual(s3, {
    bucket: 'evidence',
    prefix: 'vn/',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
  });
  assert.equal(parseConfig({ HANOI247_EVIDENCE_S3_BUCKET: 'b' }).evidence?.s3?.forcePathStyle, false);
  assert.throws(
    () =>
      parseConfig({
        HANOI247_EVIDENCE_S3_BUCKET: 'b',
        HANOI247_EVIDENCE_S3_ENDPOINT: 'ftp://x',
        HANOI247_EVIDENCE_S3_ACCESS_KEY_ID: 'id',
      }),
    (error: ConfigError) =>
      error.problems.some((p) => p.startsWith('HANOI247_EVIDENCE_S3_ENDPOINT')) &&
      error.problems.some((p) => p.includes('set both or neither')),
  );
});
