// The evidence domain (issue #15, arts. 35-36): which requests may carry evidence, what an item must
// say about itself, and the parsing of a tus Upload-Metadata header. Pure: no I/O.
/** The same shape as shared/errors.ts's FieldProblem; the domain names it here to stay free of I/O modules. */
type FieldProblem = { field: string; message: string };

/** Kinds of personal data an item holds (art. 36): they decide who may see it and how long it is kept. */
export const PERSONAL_DATA_CATEGORIES = [
  'NONE',
  'IDENTIFICATION',
  'CONTACT',
  'LOCATION',
  'TRAFFIC_METADATA',
  'COMMUNICATIONS_CONTENT',
  'FINANCIAL',
  'BIOMETRIC',
  'HEALTH',
  'CHILDREN',
  'SPECIAL_CATEGORY',
] as const;
export type PersonalDataCategory = (typeof PERSONAL_DATA_CATEGORIES)[number];

/** What the executing State states about an item of evidence. */
export type EvidenceMetadata = {
  fileName: string;
  mediaType: string;
  description: string;
  source: string;
  custodian: string | null;
  domesticOrder: string | null;
  acquiredAt: string;
  acquiredBy: string;
  personalData: PersonalDataCategory[];
};

type RequestState = { direction: string; type: string; status: string };

/**
 * A requested State hands over evidence while it executes (or once it has executed) an incoming request;
 * spontaneous information (art. 40, 51) carries evidence from its approval on.
 */
export function evidenceStateProblem(r: RequestState): string | null {
  if (r.direction === 'INCOMING') {
    if (['in_execution', 'partially_executed', 'executed'].includes(r.status)) return null;
    return `evidence is added to an incoming request in execution (in_execution, partially_executed or executed); this one is ${r.status}`;
  }
  if (r.type === 'SPONTANEOUS_INFORMATION') {
    if (['approved', 'sent', 'acknowledged'].includes(r.status)) return null;
    return `spontaneous information carries evidence once approved; this one is ${r.status}`;
  }
  return 'evidence is delivered by the requested State: this request is one this node sent';
}

const TEXT_LIMITS: Record<string, number> = {
  filename: 255,
  filetype: 255,
  description: 2000,
  source: 500,
  custodian: 500,
  domesticOrder: 500,
  acquiredBy: 200,
};

/** Parses `key base64,key base64` (tus Upload-Metadata); values are UTF-8. */
export function parseTusMetadata(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (!key) continue;
    out.set(key, value ? Buffer.from(value, 'base64').toString('utf8') : '');
  }
  return out;
}

/** Writes metadata as a tus Upload-Metadata header. */
export function formatTusMetadata(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k} ${Buffer.from(v!, 'utf8').toString('base64')}`)
    .join(',');
}

/** The item metadata of an upload, or every problem with it (fields named `metadata/<key>`). */
export function validateEvidenceMetadata(
  values: Map<string, string>,
): { ok: true; metadata: EvidenceMetadata } | { ok: false; errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const field = (key: string, required: boolean): string | null => {
    const value = values.get(key)?.trim() ?? '';
    if (value === '') {
      if (required) errors.push({ field: `metadata/${key}`, message: 'is required' });
      return null;
    }
    if (value.length > (TEXT_LIMITS[key] ?? 500))
      errors.push({ field: `metadata/${key}`, message: `must be at most ${TEXT_LIMITS[key]} characters` });
    return value;
  };
  const fileName = field('filename', true);
  if (fileName && /[/\\\0]/.test(fileName))
    errors.push({ field: 'metadata/filename', message: 'must be a file name, without a folder' });
  const mediaType = field('filetype', false) ?? 'application/octet-stream';
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(mediaType))
    errors.push({ field: 'metadata/filetype', message: 'must be a media type such as text/csv' });
  const description = field('description', true);
  const source = field('source', true);
  const acquiredBy = field('acquiredBy', true);
  const acquiredAt = field('acquiredAt', true);
  if (acquiredAt && (Number.isNaN(Date.parse(acquiredAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(acquiredAt)))
    errors.push({ field: 'metadata/acquiredAt', message: 'must be an ISO 8601 date and time' });
  const categories = (values.get('personalData') ?? 'NONE')
    .split(/[\s;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
  const unknown = categories.filter((c) => !(PERSONAL_DATA_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length > 0)
    errors.push({
      field: 'metadata/personalData',
      message: `unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; use ${PERSONAL_DATA_CATEGORIES.join(', ')}`,
    });
  if (categories.includes('NONE') && categories.length > 1)
    errors.push({ field: 'metadata/personalData', message: 'NONE cannot be combined with a category' });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    metadata: {
      fileName: fileName!,
      mediaType,
      description: description!,
      source: source!,
      custodian: field('custodian', false),
      domesticOrder: field('domesticOrder', false),
      acquiredAt: new Date(acquiredAt!).toISOString(),
      acquiredBy: acquiredBy!,
      personalData: [...new Set(categories.length > 0 ? categories : ['NONE'])] as PersonalDataCategory[],
    },
  };
}
