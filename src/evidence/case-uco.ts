// A package as CASE 1.4 / UCO 1.4 JSON-LD (the Cyber-investigation Analysis Standard Expression), for
// tools that read evidence provenance: each item a uco-observable:File with its SHA-256, a provenance
// record per item, the sealing and every custody event as investigative actions, in one investigation.
import type { EvidenceManifest } from '../domain/evidence/index.ts';
import type { CustodyEntry } from './custody-report.ts';

const CONTEXT = {
  kb: 'urn:hanoi247:kb:',
  'case-investigation': 'https://ontology.caseontology.org/case/investigation/',
  'uco-action': 'https://ontology.unifiedcyberontology.org/uco/action/',
  'uco-core': 'https://ontology.unifiedcyberontology.org/uco/core/',
  'uco-observable': 'https://ontology.unifiedcyberontology.org/uco/observable/',
  'uco-types': 'https://ontology.unifiedcyberontology.org/uco/types/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

const integer = (n: number) => ({ '@type': 'xsd:integer', '@value': String(n) });
const dateTime = (iso: string) => ({ '@type': 'xsd:dateTime', '@value': iso });

export function caseUcoDocument(manifest: EvidenceManifest, events: CustodyEntry[]): Record<string, unknown> {
  const p = manifest.packageId;
  const files = manifest.items.map((item) => ({
    '@id': `kb:file-${item.id}`,
    '@type': 'uco-observable:File',
    'uco-core:name': item.fileName,
    'uco-core:description': item.description,
    'uco-core:hasFacet': [
      {
        '@id': `kb:file-facet-${item.id}`,
        '@type': 'uco-observable:FileFacet',
        'uco-observable:fileName': item.fileName,
        'uco-observable:sizeInBytes': integer(item.size),
      },
      {
        '@id': `kb:content-data-facet-${item.id}`,
        '@type': 'uco-observable:ContentDataFacet',
        'uco-observable:mimeType': item.mediaType,
        'uco-observable:sizeInBytes': integer(item.size),
        'uco-observable:hash': [
          {
            '@id': `kb:hash-${item.id}`,
            '@type': 'uco-types:Hash',
            'uco-types:hashMethod': 'SHA256',
            'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': item.sha256.toUpperCase() },
          },
        ],
      },
    ],
  }));
  const records = manifest.items.map((item, index) => ({
    '@id': `kb:provenance-record-${item.id}`,
    '@type': 'case-investigation:ProvenanceRecord',
    'case-investigation:exhibitNumber': `${p}/${index + 1}`,
    'uco-core:description': `Acquired ${item.acquiredAt} by ${item.acquiredBy} from ${item.source}${item.domesticOrder ? ` under ${item.domesticOrder}` : ''}`,
    'uco-core:object': [{ '@id': `kb:file-${item.id}` }],
  }));
  const sealing = {
    '@id': `kb:investigative-action-seal-${p}`,
    '@type': 'case-investigation:InvestigativeAction',
    'uco-core:name': 'Evidence package sealed and signed',
    'uco-core:description': `Package ${p}, Merkle root ${manifest.merkle.root}, from ${manifest.originState} to ${manifest.recipientState}; legal basis ${manifest.legalBasis.basis}; speciality; no onward transfer without consent`,
    'uco-action:startTime': dateTime(manifest.sealedAt),
    'uco-action:object': files.map((f) => ({ '@id': f['@id'] })),
    'uco-action:result': records.map((r) => ({ '@id': r['@id'] })),
  };
  const custody = events.map((e) => ({
    '@id': `kb:investigative-action-custody-${e.seq}`,
    '@type': 'case-investigation:InvestigativeAction',
    'uco-core:name': e.action,
    'uco-core:description': `Audit entry ${e.seq} of node ${manifest.originState} (${e.objectType} ${e.objectId})`,
    'uco-action:startTime': dateTime(e.at),
  }));
  const investigation = {
    '@id': `kb:investigation-${manifest.requestId}`,
    '@type': 'case-investigation:Investigation',
    'uco-core:name': manifest.caseReference,
    'uco-core:description': `${manifest.requestType} request ${manifest.requestId} under the UN Convention against Cybercrime`,
    'uco-core:object': [...records, sealing, ...custody].map((o) => ({ '@id': o['@id'] })),
  };
  return { '@context': CONTEXT, '@graph': [investigation, sealing, ...records, ...files, ...custody] };
}
