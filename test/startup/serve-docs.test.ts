import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePorts, runCli, spawnCli, waitReady } from '../federation/node-process.ts';

// `hanoi247 serve` puts off loading `yaml` and `glob` until their first use (src/cli/deferred/): the
// API description is still served as JSON and YAML, and swagger-ui's own files.
test('a node started by the CLI serves /docs, its JSON, its YAML and its assets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h247-serve-docs-'));
  const [port] = await freePorts(1);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HANOI247_DATA_DIR: dir,
    HANOI247_KEY_SECRET: 'serve-docs-test-secret',
    HANOI247_NEW_PASSWORD: 'serve-docs-test-admin',
    HANOI247_LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  if (process.env.HANOI247_TEMPLATE_DIR) env.HANOI247_TEMPLATE_DIR = process.env.HANOI247_TEMPLATE_DIR;
  runCli(['init'], env);
  const node = spawnCli(['serve'], env);
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitReady([url], [node], 240_000);
    const json = await fetch(`${url}/docs/json`);
    assert.equal(json.status, 200);
    const spec = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/readyz'], 'the routes are described');
    const yaml = await fetch(`${url}/docs/yaml`);
    assert.equal(yaml.status, 200);
    const text = await yaml.text();
    assert.match(text, /^openapi: 3\.1\.0$/m);
    assert.match(text, /^ {2}\/readyz:$/m);
    const page = await fetch(`${url}/docs/static/index.html`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /swagger-ui/i);
    const script = await fetch(`${url}/docs/static/swagger-ui-bundle.js`);
    assert.equal(script.status, 200);
    await script.arrayBuffer();
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
