// The printed form of an exercise request opens with the EXERCISE banner in its language, in HTML and
// PDF (the banner code evidence forms reuse); a real request's form has none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderRequestForm } from '../../src/requests/printable-form.ts';
import { renderRequestPdf } from '../../src/requests/printable-pdf.ts';
import { buildRequest } from '../domain/requests/request-fixtures.ts';
import { readPdf } from '../helpers/pdf-text.ts';

const request = (exerciseId: string | null) => ({
  id: 'r-1',
  type: 'PRESERVATION',
  status: 'draft',
  caseReference: 'VN-1',
  createdAt: '2027-01-05T10:00:00.000Z',
  legalBasis: { basis: 'UNCC', treatyRef: null },
  body: buildRequest('PRESERVATION'),
  exerciseId,
});

test('an exercise request prints EXERCISE first, in its language; a real one does not', async () => {
  const exercise = request('01939a3e-0000-7000-8000-0000000000aa');
  assert.match(
    renderRequestForm(exercise, 'fr', { demo: false }),
    /<body>\n<p class="banner">EXERCICE — PAS UNE AFFAIRE RÉELLE<\/p>/,
  );
  assert.doesNotMatch(renderRequestForm(request(null), 'fr', { demo: false }), /EXERCICE/);
  const [page] = (await readPdf(await renderRequestPdf(exercise, 'en', { demo: false }))).pages;
  assert.equal(page![0], 'EXERCISE — NOT A REAL CASE');
  const [real] = (await readPdf(await renderRequestPdf(request(null), 'en', { demo: false }))).pages;
  assert.equal(real!.join('\n').includes('EXERCISE'), false);
});
