// Writes docs/errors.md from the error catalogue (`npm run docs:errors`). The catalogue is the source;
// test/shared/error-catalogue.test.ts fails when the file here is stale.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CatalogueEntry,
  ERROR_CATALOGUE,
  type ErrorSurface,
  PROBLEM_TYPE_PATH,
} from '../src/shared/error-catalogue.ts';

export const ERROR_DOCS_PATH = resolve(import.meta.dirname, '../docs/errors.md');

const SECTIONS: { surface: ErrorSurface; heading: string; intro: string }[] = [
  {
    surface: 'api',
    heading: 'HTTP API',
    intro: 'Answered as `application/problem+json` by the API (`/api/v1/…`, `/taxii2/…` as a TAXII error).',
  },
  {
    surface: 'federation',
    heading: 'Federation: what a node answers a peer',
    intro:
      'Answered to another node on `POST /federation/v1/messages` and `/batches`, or as the `code` of a refused message in a batch receipt. The sender retries `ERR_PEER_OUT_OF_ORDER` and 5xx; any other refusal makes a dead letter (`GET /api/v1/federation/dead-letters`).',
  },
  {
    surface: 'outbox',
    heading: 'Federation: what the sender records',
    intro:
      'Never answered by a node: the sender writes these on an outgoing message (`lastErrorCode` of the outbox and dead letters) when no refusal came from the partner.',
  },
  {
    surface: 'cli',
    heading: 'Command line',
    intro: '`hanoi247` commands print `error: <message>` on stderr and exit 1.',
  },
  {
    surface: 'desk',
    heading: 'Web desk',
    intro: 'Made up by the web desk in the browser when its node gives no problem body.',
  },
  {
    surface: 'internal',
    heading: 'Internal',
    intro: 'Thrown inside the node and always turned into another code before anyone sees it.',
  },
];

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(code: string, entry: CatalogueEntry): string {
  const status = entry.status === null ? '—' : String(entry.status);
  return `| \`${code}\` | ${status} | ${cell(entry.meaning)} | ${cell(entry.action)} |`;
}

/** The whole of docs/errors.md. */
export function renderErrorDocs(): string {
  const entries = Object.entries(ERROR_CATALOGUE).sort(([a], [b]) => a.localeCompare(b)) as [
    string,
    CatalogueEntry,
  ][];
  const parts = [
    '# Error codes',
    '',
    '<!-- Generated from src/shared/error-catalogue.ts by `npm run docs:errors`. Do not edit by hand. -->',
    '',
    `Every error a hanoi247 node answers carries a stable \`code\`. ${entries.length} codes are listed here, each`,
    'with its HTTP status, what it means and what the caller should do.',
    '',
    '**Problem type.** An API error is an RFC 9457 `application/problem+json` body whose `type` is the',
    `relative reference \`${PROBLEM_TYPE_PATH}ERR_…\` (for instance \`"type": "${PROBLEM_TYPE_PATH}ERR_STALE"\`). It resolves`,
    'against the URL of the request, so on the node that answered: `GET /problems/ERR_STALE` on that node',
    'serves the entry as a page, and as JSON with `Accept: application/json`; `GET /problems` lists every',
    'code. These routes are public (no sign-in) and say only what this file says. The project owns no',
    'domain name, so no absolute URI is used.',
    '',
    'A code used anywhere in `src/` must be in the catalogue, and every catalogued code must still be used:',
    '`test/shared/error-catalogue.test.ts` fails otherwise, and when this file is older than the catalogue.',
    'To add a code, add an entry to `ERROR_CATALOGUE` in `src/shared/error-catalogue.ts` and run',
    '`npm run docs:errors`.',
    '',
    'One `ERR_` code in `src/` is Node.js’s own and never reaches a caller: `ERR_HTTP_REQUEST_TIMEOUT`',
    '(a request not received in time), which the node answers as `ERR_REQUEST_TIMEOUT`.',
  ];
  for (const section of SECTIONS) {
    const listed = entries.filter(([, e]) => e.surfaces.includes(section.surface));
    if (listed.length === 0) continue;
    parts.push('', `## ${section.heading}`, '', section.intro, '');
    parts.push('| code | HTTP | what it means | what to do |', '| --- | --- | --- | --- |');
    for (const [code, entry] of listed) parts.push(row(code, entry));
  }
  return `${parts.join('\n')}\n`;
}

if (import.meta.main) {
  writeFileSync(ERROR_DOCS_PATH, renderErrorDocs());
  process.stdout.write(`wrote ${ERROR_DOCS_PATH}\n`);
}
