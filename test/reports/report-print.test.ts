import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import type { Role } from '../../src/domain/codes.ts';
import { INDICATOR_LABELS, PRINT_TEXT, REPORT_LANGUAGES } from '../../src/domain/indicators-report/index.ts';
import { renderReportHtml } from '../../src/reports/report-html.ts';
import { isPdfLanguage, renderReportPdf } from '../../src/reports/report-pdf.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { client } from '../helpers/http-client.ts';
import { readPdf } from '../helpers/pdf-text.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';

// The printed report: a PDF with its charts drawn from the figures in English, French, Vietnamese,
// Russian and Spanish; Chinese and Arabic printed from the HTML (303 from the PDF address), as the
// printed request does; the same bytes for the same report.
let node: TestNode;
const as: Record<string, ReturnType<typeof client>> = {};
let reportId = '';

before(async () => {
  node = await startTestNode();
  for (const u of await node.ctx.users.list(100, null)) {
    const role = (u.roles as Role[])[0]!;
    const api = client(node.url);
    api.setToken(
      (await node.ctx.auth.createToken(u.id, { name: 'print', scopes: [role], ttlDays: 1 })).token,
    );
    as[u.username] = api;
  }
  for (let i = 0; i < 7; i++) {
    const created = await as.duty!.post('/api/v1/requests', {
      type: 'MLA_GENERAL',
      direction: 'INCOMING',
      ...buildRequest('MLA_GENERAL', { requestingState: i < 6 ? 'FR' : 'DE', requestedState: 'VN' }),
      confidentialityRequired: false,
    });
    assert.equal(created.status, 201, created.text);
  }
  const now = node.ctx.clock.now();
  const built = await as.approver!.post('/api/v1/reports', {
    period: `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`,
  });
  assert.equal(built.status, 201, built.text);
  reportId = built.body.summary.id;
  assert.equal((await as.admin!.post(`/api/v1/reports/${reportId}/release`, {})).status, 200);
});
after(() => node.close());

/** The page content streams of a PDF, decoded. */
async function contentOf(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  return doc
    .getPages()
    .flatMap((page) => {
      const c = page.node.Contents();
      return c instanceof PDFArray ? c.asArray().map((r) => doc.context.lookup(r)) : [c];
    })
    .map((s) =>
      s instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(s).decode()).toString('latin1') : '',
    )
    .join('\n');
}

test('the PDF in each language it prints: title, charts drawn as bars from the figures, every definition', async () => {
  const { report } = (await client(node.url).get(`/api/v1/public/reports/${reportId}`)).body;
  for (const lang of REPORT_LANGUAGES.filter(isPdfLanguage)) {
    const response = await fetch(`${node.url}/api/v1/public/reports/${reportId}?format=pdf&lang=${lang}`);
    assert.equal(response.status, 200, lang);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('content-language'), lang);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = await readPdf(bytes);
    const lines = text.pages.flat();
    // A long title wraps at spaces: its lines joined give it back.
    assert.ok(lines.join(' ').includes(PRINT_TEXT.title[lang]), `${lang}: title`);
    assert.ok(lines.includes(PRINT_TEXT.chartRequests[lang]), `${lang}: chart title`);
    for (const indicator of ['requests_received', 'hub_members'] as const)
      assert.ok(
        lines.some((l) => l.startsWith(INDICATOR_LABELS[indicator][lang])),
        `${lang}: ${indicator}`,
      );
    // The requests chart: one filled bar per non-zero count, in the chart colour; 7 received shows "7".
    const content = await contentOf(bytes);
    const bars = [...content.matchAll(/0 0\.447 0\.698 rg/g)];
    assert.ok(bars.length >= 1, `${lang}: bars drawn (${bars.length})`);
    assert.ok(lines.includes('7'), `${lang}: the bar's value is printed`);
    assert.deepEqual(
      Buffer.from(await renderReportPdf(report, lang)),
      Buffer.from(bytes),
      `${lang}: the same report prints to the same bytes`,
    );
  }
});

test('Chinese and Arabic: the PDF address answers 303 to the printable HTML, right to left for Arabic', async () => {
  for (const lang of ['zh', 'ar'] as const) {
    const response = await fetch(`${node.url}/api/v1/public/reports/${reportId}?format=pdf&lang=${lang}`, {
      redirect: 'manual',
    });
    assert.equal(response.status, 303);
    assert.equal(
      response.headers.get('location'),
      `/api/v1/public/reports/${reportId}?format=html&lang=${lang}`,
    );
    const page = await client(node.url).get(response.headers.get('location')!);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(page.text, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`));
    assert.ok(page.text.includes(PRINT_TEXT.title[lang]));
    assert.ok(page.text.includes(INDICATOR_LABELS.requests_received[lang]));
    assert.match(page.text, /class="bar" style="width:100%"/, 'the largest bar is full width');
  }
  const { report } = (await client(node.url).get(`/api/v1/public/reports/${reportId}`)).body;
  await assert.rejects(renderReportPdf(report, 'zh'), RangeError);
  assert.ok(!renderReportHtml(report, 'en').includes('<script'), 'the printable page runs no script');
  // Not released: not printable without sign-in either.
  const now = node.ctx.clock.now();
  const draft = await as.approver!.post('/api/v1/reports', { period: String(now.getUTCFullYear()) });
  assert.equal(
    (await fetch(`${node.url}/api/v1/public/reports/${draft.body.summary.id}?format=pdf`)).status,
    404,
  );
  const bad = await client(node.url).get(`/api/v1/public/reports/${reportId}?format=docx`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].field, 'querystring/format');
});
