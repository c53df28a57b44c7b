import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import { caseUcoDocument } from '../../src/evidence/case-uco.ts';
import type { CustodyEntry } from '../../src/evidence/custody-report.ts';
import { buildManifest } from '../../src/evidence/package-manifest.ts';
import { CONFORMANCE_DIR } from '../stix/conformance.ts';

// The CASE/UCO export of a package against the SHACL shapes of CASE 1.4.0 and UCO 1.4.0
// (../shared/conformance/case-uco), with the ontologies loaded beside the data so classes resolve.
const ROOT = join(CONFORMANCE_DIR, 'case-uco');

function turtleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return turtleFiles(path);
    return name.endsWith('.ttl') ? [path] : [];
  });
}

const manifest = buildManifest({
  packageId: '01939a3e-0000-7000-8000-000000000001',
  supersedes: null,
  originState: 'FR',
  recipientState: 'VN',
  requestId: '01939a3e-0000-7000-8000-000000000002',
  requestType: 'MLA_STORED_DATA',
  caseReference: 'VN-2026-0042',
  legalBasis: { basis: 'UNCC', treatyRef: null },
  conditions: { speciality: true, onwardTransfer: 'PROHIBITED_WITHOUT_CONSENT', other: [] },
  retentionUntil: '2036-12-01T00:00:00.000Z',
  sealedAt: '2026-12-07T10:00:00.000Z',
  chunkSize: 1048576,
  items: [
    {
      id: '01939a3e-0000-7000-8000-000000000003',
      fileName: 'mailbox.mbox',
      mediaType: 'application/mbox',
      sha256: 'a'.repeat(64),
      size: 3_000_000,
      chunkCount: 3,
      chunkRoot: 'b'.repeat(64),
      description: 'Mailbox export',
      source: 'Example Mail SAS',
      custodian: null,
      domesticOrder: 'Order 2026/117',
      acquiredAt: '2026-11-30T09:00:00.000Z',
      acquiredBy: 'Capt. Martin',
      personalData: ['CONTACT'],
    },
  ],
});
const events: CustodyEntry[] = [
  {
    seq: 41,
    at: '2026-12-07T10:00:00.000Z',
    actor: 'u1',
    actorName: 'duty',
    action: 'evidence.package_seal',
    objectType: 'evidence_package',
    objectId: manifest.packageId,
    details: {},
    payloadHash: 'c'.repeat(64),
    leafIndex: 40,
    auditPath: [],
  },
];

test('the CASE/UCO JSON-LD of a package conforms to the CASE 1.4.0 and UCO 1.4.0 shapes', async () => {
  const files = turtleFiles(ROOT);
  assert.ok(files.length >= 20, `the shapes are at ${ROOT}`);
  const ontology: unknown[] = files.flatMap((f) => new Parser().parse(readFileSync(f, 'utf8')));
  const document = caseUcoDocument(manifest, events);
  const nquads: string = await jsonld.toRDF(document, { format: 'application/n-quads' });
  const data: unknown[] = new Parser({ format: 'N-Quads' }).parse(nquads);
  assert.ok(data.length > 20);
  type Term = { value: string } | undefined;
  type Result = { severity: Term; focusNode: Term; path: Term; message: { value: string }[] };
  type Report = { conforms: boolean; results: Result[] };
  type Validator = { validate(data: unknown): Promise<Report> };
  const { default: SHACLValidator } = (await import('rdf-validate-shacl')) as {
    default: new (shapes: unknown, options: unknown) => Validator;
  };
  const { default: factory } = (await import('rdf-validate-shacl/src/defaultEnv.js' as string)) as {
    default: { dataset(quads?: unknown[]): unknown };
  };
  // rdf-validate-shacl has no SPARQL engine: the few SPARQL-based constraints of UCO (sh:sparql) are
  // left out of the shapes; every other shape applies. Every ontology is loaded already, so an
  // owl:import brings nothing more.
  const SPARQL = 'http://www.w3.org/ns/shacl#sparql';
  const shapes = (ontology as { predicate: { value: string } }[]).filter((q) => q.predicate.value !== SPARQL);
  const validator = new SHACLValidator(factory.dataset(shapes), {
    factory,
    importGraph: async () => factory.dataset(),
  });
  const report = await validator.validate(factory.dataset([...ontology, ...data]));
  const violations = report.results
    .filter((r) => r.severity?.value?.endsWith('Violation'))
    .map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join(' ')}`);
  assert.deepEqual(violations, []);
  assert.equal(report.conforms || violations.length === 0, true);
  // A file without its hash value is caught: the test can fail.
  type Node = Record<string, unknown> & { 'uco-core:hasFacet': Record<string, Record<string, unknown>[]>[] };
  const broken = structuredClone(document) as { '@graph': Node[] };
  const file = broken['@graph'].find((n) => n['@type'] === 'uco-observable:File');
  delete file!['uco-core:hasFacet'][1]!['uco-observable:hash']![0]!['uco-types:hashValue'];
  const brokenQuads: unknown[] = new Parser({ format: 'N-Quads' }).parse(
    await jsonld.toRDF(broken, { format: 'application/n-quads' }),
  );
  const brokenReport = await validator.validate(factory.dataset([...ontology, ...brokenQuads]));
  assert.equal(brokenReport.conforms, false);
});
