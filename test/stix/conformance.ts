// The OASIS STIX 2.1 schemas and checker in ../shared/conformance (outside this repository, see its
// README). Loaded at run time so the type check does not need declarations for the .mjs file.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// shared/ sits beside the checkout: ../shared from the main one, ../../shared from a worktree in wt/.
const CHECKER = ['../../../shared', '../../../../shared']
  .map((up) => resolve(dirname(fileURLToPath(import.meta.url)), up, 'conformance/validate-stix.mjs'))
  .find((path) => existsSync(path)) as string;

type Result = {
  ok: boolean;
  type: string;
  id: string;
  generic: boolean;
  errors: { instancePath: string; message: string }[];
};
type Report = { ok: boolean; kind: string; envelopeErrors: unknown[]; results: Result[] };

let validator: { validateDocument(doc: unknown): Report } | null = null;

/** Validates a bundle, envelope, list or object; returns one line per failure (empty when all valid). */
export async function stixFailures(
  doc: unknown,
  options: { rejectCustom?: boolean } = {},
): Promise<string[]> {
  if (!validator) {
    const mod = (await import(CHECKER)) as {
      createStixValidator(): { validateDocument(doc: unknown): Report };
    };
    validator = mod.createStixValidator();
  }
  const report = validator.validateDocument(doc);
  const failures = report.results
    .filter((r) => !r.ok || (options.rejectCustom && r.generic))
    .map(
      (r) =>
        `${r.id}: ${r.generic ? 'no dedicated schema; ' : ''}${r.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`,
    );
  if (report.envelopeErrors.length) failures.push(`envelope: ${JSON.stringify(report.envelopeErrors)}`);
  return failures;
}

export const CONFORMANCE_DIR = resolve(dirname(CHECKER));
