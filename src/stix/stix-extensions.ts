// The observables STIX has no type for (phone numbers, bank accounts, crypto wallets) are declared as
// new SCO types through STIX 2.1 extension definitions (§7.3), so strict validators accept the
// patterns that name them. The type names are the ones OpenCTI uses, so its exports and ours agree.
import type { StixObject } from './stix-ids.ts';

/** The software itself, as the author of its extension definitions (fixed: the same on every node). */
export const HANOI247_IDENTITY: StixObject = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--2f0c6a5e-8d3b-4f7a-9c1e-5b4d3a2f1e0d',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'hanoi247 (software for the UN Convention against Cybercrime)',
  identity_class: 'system',
};

const CREATED = '2026-01-01T00:00:00.000Z';

function definition(id: string, type: string, properties: string): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id,
    created_by_ref: HANOI247_IDENTITY.id,
    created: CREATED,
    modified: CREATED,
    name: type,
    description: `The ${type} observable (a new SCO type, as OpenCTI exports it).`,
    schema: `Properties: ${properties}. Patterns compare them with = to a string literal.`,
    version: '1.0.0',
    extension_types: ['new-sco'],
  };
}

/** Extension definitions by the custom observable type they declare. */
export const OBSERVABLE_EXTENSIONS: Readonly<Record<string, StixObject>> = {
  'phone-number': definition(
    'extension-definition--6b8e2d4a-1f3c-4a5b-9d7e-0c2f4a6b8d1e',
    'phone-number',
    'value (string, required): the number in E.164 form, or as national digits',
  ),
  'bank-account': definition(
    'extension-definition--7c9f3e5b-2a4d-4b6c-8e8f-1d3a5b7c9e2f',
    'bank-account',
    'iban (string): an IBAN without spaces; account_number (string): a national account number',
  ),
  'cryptocurrency-wallet': definition(
    'extension-definition--8da04f6c-3b5e-4c7d-9f9a-2e4b6c8dafa3',
    'cryptocurrency-wallet',
    'value (string, required): the wallet address (Bitcoin, Ethereum or Tron)',
  ),
};

/** The extension definitions (and their author) that these objects' patterns need, each once. */
export function extensionsFor(objects: StixObject[]): StixObject[] {
  const used = new Set<string>();
  for (const o of objects) {
    if (typeof o.pattern !== 'string') continue;
    for (const type of Object.keys(OBSERVABLE_EXTENSIONS)) if (o.pattern.includes(`${type}:`)) used.add(type);
  }
  if (used.size === 0) return [];
  return [HANOI247_IDENTITY, ...[...used].sort().map((t) => OBSERVABLE_EXTENSIONS[t]!)];
}
