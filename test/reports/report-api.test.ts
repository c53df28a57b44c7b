import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { Value } from 'typebox/value';
import { generateNodeKeys } from '../../src/crypto/node-keys.ts';
import type { Role } from '../../src/domain/codes.ts';
import type { IndicatorReport } from '../../src/reports/report-document.ts';
import { IndicatorReportSchema } from '../../src/reports/report-schema.ts';
import { createReportService } from '../../src/reports/report-service.ts';
import { verifyReportFile } from '../../src/reports/verify-report.ts';
import { rowsOf } from '../../src/store/database.ts';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// Reports through the HTTP API on a real node: bad periods refused with nothing written, build by an
// approver, release by someone else (four eyes), public only once released, the signed file verifies
// and each tampering is named, CSV headers in the reader's language, the published JSON Schema holds.
let node: TestNode;
const as: Record<string, ReturnType<typeof client>> = {};
const ids: Record<string, string> = {};

async function counts() {
  const [row] = rowsOf<{ reports: number; audit: number }>(
    await node.ctx.database.db.execute(
      sql`SELECT (SELECT count(*)::int FROM indicator_reports) AS reports, (SELECT count(*)::int FROM audit_entries) AS audit`,
    ),
  );
  return row!;
}

before(async () => {
  node = await startTestNode();
  for (const u of await node.ctx.users.list(100, null)) {
    const role = (u.roles as Role[])[0]!;
    ids[u.username] = u.id;
    const api = client(node.url);
    api.setToken(
      (await node.ctx.auth.createToken(u.id, { name: 'reports', scopes: [role], ttlDays: 1 })).token,
    );
    as[u.username] = api;
  }
});
after(() => node.close());

test('a period that does not parse or lies in the future is refused, and nothing is written', async () => {
  const before = await counts();
  for (const period of ['2999-Q1', 'Q4', '2026-Q5']) {
    const r = await as.approver!.post('/api/v1/reports', { period });
    assert.equal(r.status, 400, period);
    assert.equal(r.body.code, 'ERR_VALIDATION');
    assert.equal(r.body.errors[0].field, 'period');
  }
  const bad = await as.auditor!.get('/api/v1/indicators?period=2999');
  assert.equal(bad.status, 400);
  const failing = createReportService({
    database: node.ctx.database,
    clock: node.ctx.clock,
    keyring: node.ctx.keyring,
    audit: {
      signTreeHead: async () => {
        throw new Error('the log could not be signed');
      },
    },
    nodeState: 'VN',
  });
  await assert.rejects(failing.build({ id: ids.approver! }, '2026'), /could not be signed/);
  assert.deepEqual(await counts(), before, 'a failed build leaves no report and no audit entry');
});

test('build, four-eyes release, public listing, and the signed file verifies', async () => {
  const built = await as.approver!.post('/api/v1/reports', { period: '2026-Q4' });
  assert.equal(built.status, 201, built.text);
  const id = built.body.summary.id as string;
  assert.equal(built.body.report.period.id, '2026-Q4');
  assert.ok(Value.Check(IndicatorReportSchema, built.body.report), 'the report matches its published schema');
  assert.equal(
    (await as.admin!.get('/api/v1/public/reports')).body.items.length,
    0,
    'not public before release',
  );
  assert.equal((await client(node.url).get(`/api/v1/public/reports/${id}`)).status, 404);
  const self = await as.approver!.post(`/api/v1/reports/${id}/release`, {});
  assert.equal(self.status, 403);
  assert.equal(self.body.code, 'ERR_REPORT_FOUR_EYES');
  const released = await as.admin!.post(`/api/v1/reports/${id}/release`, {});
  assert.equal(released.status, 200, released.text);
  assert.equal(released.body.releasedBy, ids.admin);
  assert.equal((await as.admin!.post(`/api/v1/reports/${id}/release`, {})).body.code, 'ERR_REPORT_RELEASED');

  const anonymous = client(node.url);
  const list = await anonymous.get('/api/v1/public/reports');
  assert.deepEqual(
    list.body.items.map((r: { id: string }) => r.id),
    [id],
  );
  const file = (await anonymous.get(`/api/v1/public/reports/${id}`)).body as {
    report: IndicatorReport;
    jws: string;
  };
  const keys = node.ctx.keyring.verificationKeys();
  const report = await verifyReportFile(file, keys);
  assert.equal(report.node, node.ctx.config.nodeState);
  const [head] = rowsOf<{ root_hash: string }>(
    await node.ctx.database.db.execute(
      sql`SELECT root_hash FROM audit_tree_heads WHERE tree_size = ${report.checkpoint.treeSize}`,
    ),
  );
  assert.equal(head?.root_hash, report.checkpoint.rootHash, 'the checkpoint is a tree head of this log');

  const changed = structuredClone(file);
  changed.report.figures[0]!.value = 999;
  await assert.rejects(verifyReportFile(changed, keys), { code: 'ERR_REPORT_MISMATCH' });
  const other = await generateNodeKeys();
  const otherKey = { ...other.signing.publicJwk, kid: file.report.checkpoint.kid };
  await assert.rejects(verifyReportFile(file, [otherKey]), { code: 'ERR_REPORT_SIGNATURE' });
  const forged = { ...file.report, checkpoint: { ...file.report.checkpoint, treeSize: 1 } };
  const forgedJws = await node.ctx.keyring.sign(forged as never);
  await assert.rejects(verifyReportFile({ report: forged, jws: forgedJws }, keys), {
    code: 'ERR_REPORT_CHECKPOINT',
  });
  await assert.rejects(verifyReportFile({ nothing: true }, keys), { code: 'ERR_REPORT_FORMAT' });
});

test('CSV in the reader language, the JSON Schema, live figures and the drill-down', async () => {
  const built = await as.admin!.post('/api/v1/reports', { period: '2026' });
  const id = built.body.summary.id as string;
  const fr = await as.auditor!.get(`/api/v1/reports/${id}?format=csv&lang=fr`);
  assert.equal(fr.status, 200);
  assert.match(fr.headers.get('content-type') ?? '', /text\/csv/);
  assert.match(fr.text, /^\uFEFF?Période,Indicateur,Ventilation,Groupe,Nombre/);
  assert.match(fr.text, /Demandes envoyées,Total/);
  const ar = await as.auditor!.get(`/api/v1/reports/${id}?format=csv&lang=ar`);
  assert.match(ar.text, /الفترة/);
  const xx = await as.auditor!.get(`/api/v1/reports/${id}?format=csv&lang=de`);
  assert.equal(xx.status, 400);
  assert.equal(xx.body.code, 'ERR_VALIDATION');
  const schema = await client(node.url).get('/api/v1/public/reports/schema.json');
  assert.equal(schema.status, 200);
  assert.equal(schema.body.properties.format.const, 'hanoi247/indicators-report/v1');
  const live = await as.approver!.get('/api/v1/indicators?period=2026-Q4');
  assert.equal(live.status, 200);
  assert.ok(live.body.figures.some((f: { indicator: string }) => f.indicator === 'hub_members'));
  const trace = await as.auditor!.get('/api/v1/indicators/trace?period=2026&indicator=hub_members');
  assert.equal(trace.status, 200, trace.text);
  assert.equal(trace.body.count, trace.body.items.length);
  const wrong = await as.auditor!.get(
    '/api/v1/indicators/trace?period=2026&indicator=nope&dimension=partner',
  );
  assert.equal(wrong.status, 400);
  assert.deepEqual(
    wrong.body.errors.map((e: { field: string }) => e.field),
    ['indicator', 'group'],
  );
  assert.equal((await as.duty!.get('/api/v1/indicators?period=2026')).status, 403);
  const filtered = await as.approver!.get('/api/v1/indicators?period=2026-Q4&direction=OUTGOING&partner=FR');
  assert.equal(filtered.status, 200, filtered.text);
  assert.deepEqual(filtered.body.filters, { direction: 'OUTGOING', partner: 'FR' });
  const badFilter = await as.approver!.get(
    '/api/v1/indicators/trace?period=2026&indicator=requests_sent&urgency=SOON',
  );
  assert.equal(badFilter.status, 400);
  assert.equal(badFilter.body.errors[0].field, 'urgency');
  const spec = (await client(node.url).get('/docs/json')).body;
  for (const path of [
    '/api/v1/reports',
    '/api/v1/reports/{id}/release',
    '/api/v1/public/reports',
    '/api/v1/indicators/trace',
  ])
    assert.ok(spec.paths[path], `${path} is in the OpenAPI document`);
  const metrics = await client(node.url).get('/metrics');
  assert.match(metrics.text, /hanoi247_indicator_current_quarter\{indicator="requests_sent"\} 0/);
  assert.match(metrics.text, /hanoi247_indicator_reports_released 1/);
});
