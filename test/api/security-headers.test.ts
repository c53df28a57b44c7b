import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkMetricsAccess, isLoopback } from '../../src/api/plugins/metrics-access.ts';
import { parseConfig } from '../../src/config.ts';
import type { AppError } from '../../src/shared/errors.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, TEST_KEY_SECRET, type TestNode } from '../helpers/test-node.ts';

// Issue 16, part 3: /metrics was public, and API answers and /docs carried no CSP or frame protection.
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let node: TestNode;
let open: TestNode;
before(async () => {
  [node, open] = await Promise.all([
    startTestNode({
      seed: false,
      config: { secrets: { keySecret: TEST_KEY_SECRET, metricsToken: METRICS_TOKEN } },
    }),
    startTestNode({ seed: false }),
  ]);
});
after(() => Promise.all([node?.close(), open?.close()]));

describe('frame and content protection', () => {
  test('API answers and problems forbid framing, sniffing, referrers and any active content', async () => {
    // An unknown API path (elsewhere an unknown path is the desk's page when the desk is built).
    for (const path of ['/healthz', '/api/v1/requests', '/api/v1/no-such-route/x']) {
      const reply = await client(node.url).get(path);
      const csp = reply.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(reply.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(reply.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(reply.headers.get('referrer-policy'), 'no-referrer', path);
    }
  });

  test('/docs has a policy that lets Swagger UI run its own scripts and nothing else', async () => {
    for (const path of ['/docs/', '/docs/static/swagger-initializer.js']) {
      const reply = await fetch(node.url + path);
      assert.equal(reply.status, 200, path);
      const csp = reply.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-eval/);
      assert.equal(reply.headers.get('x-frame-options'), 'DENY');
      await reply.body?.cancel();
    }
  });
});

describe('/metrics', () => {
  test('with HANOI247_METRICS_TOKEN set, only its bearer reads the metrics', async () => {
    const anonymous = await client(node.url).get('/metrics');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.code, 'ERR_METRICS_TOKEN');
    assert.match(anonymous.headers.get('content-type') ?? '', /application\/problem\+json/);
    const wrong = await client(node.url).call('GET', '/metrics', undefined, {
      authorization: 'Bearer not-the-metrics-token-at-all',
    });
    assert.equal(wrong.status, 401);
    const right = await client(node.url).call('GET', '/metrics', undefined, {
      authorization: `Bearer ${METRICS_TOKEN}`,
    });
    assert.equal(right.status, 200);
    assert.match(right.text, /hanoi247_http_requests_total/);
  });

  test('without a token, a loopback caller reads them and any other address is refused', async () => {
    assert.equal((await client(open.url).get('/metrics')).status, 200);
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('::ffff:127.0.0.2'));
    assert.ok(!isLoopback('10.0.0.1') && !isLoopback('::ffff:192.0.2.1') && !isLoopback(undefined));
    assert.throws(
      () => checkMetricsAccess(null, undefined, '203.0.113.7'),
      (e: AppError) => e.status === 403 && e.code === 'ERR_METRICS_LOOPBACK_ONLY',
    );
    assert.doesNotThrow(() => checkMetricsAccess(null, undefined, '127.0.0.1'));
  });

  test('a metrics token shorter than 24 characters is a configuration error', () => {
    assert.throws(() => parseConfig({ HANOI247_METRICS_TOKEN: 'short' }), /HANOI247_METRICS_TOKEN/);
  });
});
