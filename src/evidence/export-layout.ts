// The layout of an exported package folder, shared by the exporter and the offline verifier.
import type { ManifestItem } from '../domain/evidence/index.ts';

export const EXPORT_FILES = {
  manifestJws: 'manifest.jws',
  manifestJson: 'manifest.json',
  custody: 'custody.json',
  sender: 'sender.json',
  caseUco: 'case-uco.jsonld',
  filesDir: 'files',
} as const;

/** `files/001-name.ext`: numbered in manifest order, the name stripped of anything a file system refuses. */
export function exportedFileName(index: number, item: Pick<ManifestItem, 'fileName'>): string {
  const safe = item.fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'item';
  return `${String(index + 1).padStart(3, '0')}-${safe}`;
}
