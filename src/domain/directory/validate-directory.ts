// Validates a directory document received from anywhere (file, API, another node): the structure
// first, then the rules a schema cannot express. Every problem is reported at once, so a
// publisher fixes a document in one pass; nothing here throws on bad input.
import { authorityProblems } from './authority-checks.ts';
import { DirectoryDocument } from './directory-schema.ts';
import { instantOf, list, rec, str } from './loose.ts';
import { partyProblems } from './party-checks.ts';
import { type DirectoryProblem, problem } from './problem.ts';
import { schemaProblems } from './schema-problems.ts';
import { treatyProblems } from './treaty-checks.ts';

export type DirectoryValidation =
  | { ok: true; value: DirectoryDocument }
  | { ok: false; errors: DirectoryProblem[] };

/** Checks `doc` against the directory format and its semantic rules; lists every problem. */
export function validateDirectory(doc: unknown): DirectoryValidation {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    const what = doc === null ? 'null' : Array.isArray(doc) ? 'a list' : typeof doc;
    return { ok: false, errors: [problem('', `a directory must be a JSON object, not ${what}`)] };
  }
  const errors = [...schemaProblems(DirectoryDocument, doc), ...semanticProblems(rec(doc))];
  return errors.length === 0 ? { ok: true, value: doc as DirectoryDocument } : { ok: false, errors };
}

function semanticProblems(doc: Record<string, unknown>): DirectoryProblem[] {
  const parties = list(doc['parties']);
  const codes = new Set(parties.map((p) => str(rec(p)['code'])).filter((c): c is string => c !== undefined));
  const out = [
    ...partyProblems(parties),
    ...authorityProblems(parties),
    ...treatyProblems(list(doc['treaties']), codes),
  ];
  const issued = instantOf(doc['issuedAt']);
  const validUntil = instantOf(doc['validUntil']);
  if (issued !== undefined && validUntil !== undefined && validUntil <= issued) {
    out.push(
      problem(
        '/validUntil',
        'the directory would expire before it is issued (validUntil is not after issuedAt)',
      ),
    );
  }
  return out;
}
