// Semantic checks on parties that a schema cannot express: assigned codes, uniqueness, the order
// of legal dates, the signature period (art. 64(1) [V]) and a regional organisation's deposit
// after one of its member States' (art. 64 [U]).
import { REGIONAL_ORGANISATION_MEMBERS } from '../law/unverified.ts';
import { SIGNATURE_WINDOW } from '../law/verified.ts';
import { isIso3166Alpha2, isRegionalOrganisationCode, REGIONAL_ORGANISATION_CODES } from './iso-3166.ts';
import { dateOf, list, rec, str } from './loose.ts';
import { type DirectoryProblem, problem } from './problem.ts';

/** Code, uniqueness and date-order problems of every party. */
export function partyProblems(parties: unknown[]): DirectoryProblem[] {
  const out: DirectoryProblem[] = [];
  const firstIndex = new Map<string, number>();
  parties.forEach((raw, i) => {
    const party = rec(raw);
    const base = `/parties/${i}`;
    const code = str(party['code']);
    if (code && /^[A-Z]{2}$/.test(code)) {
      out.push(...codeProblems(base, code, party['isRegionalOrganisation'] === true));
      const first = firstIndex.get(code);
      if (first === undefined) firstIndex.set(code, i);
      else
        out.push(
          problem(
            `${base}/code`,
            `'${code}' is listed twice (first at parties/${first}); list each Party once`,
          ),
        );
    }
    out.push(...conventionProblems(`${base}/convention`, rec(party['convention'])));
    list(party['instruments']).forEach((m, k) => {
      out.push(...periodProblems(`${base}/instruments/${k}`, rec(m)));
    });
  });
  out.push(...regionalDepositProblems(parties));
  return out;
}

/** A regional organisation's deposit needs an earlier (or same-day) deposit by a listed member State. */
function regionalDepositProblems(parties: unknown[]): DirectoryProblem[] {
  const depositOf = new Map<string, string>();
  for (const raw of parties) {
    const party = rec(raw);
    const code = str(party['code']);
    const deposited = dateOf(rec(party['convention'])['depositedOn']);
    if (code && deposited) depositOf.set(code, deposited);
  }
  const out: DirectoryProblem[] = [];
  parties.forEach((raw, i) => {
    const party = rec(raw);
    const code = str(party['code']);
    const deposited = code ? depositOf.get(code) : undefined;
    const members = code ? REGIONAL_ORGANISATION_MEMBERS[code] : undefined;
    if (party['isRegionalOrganisation'] !== true || !deposited || !members) return;
    if (members.some((m) => (depositOf.get(m) ?? '9999-12-31') <= deposited)) return;
    out.push(
      problem(
        `/parties/${i}/convention/depositedOn`,
        `the ${REGIONAL_ORGANISATION_CODES[code!] ?? code} deposits on ${deposited}, but no member State listed here has deposited by then; a regional economic integration organisation may deposit only if at least one of its member States has done so (art. 64)`,
      ),
    );
  });
  return out;
}

function codeProblems(base: string, code: string, regional: boolean): DirectoryProblem[] {
  if (isRegionalOrganisationCode(code)) {
    return regional
      ? []
      : [
          problem(
            `${base}/isRegionalOrganisation`,
            `'${code}' is reserved for the ${REGIONAL_ORGANISATION_CODES[code]} as a regional organisation; set isRegionalOrganisation to true`,
          ),
        ];
  }
  if (!isIso3166Alpha2(code)) return [problem(`${base}/code`, `'${code}' is not an ISO 3166-1 alpha-2 code`)];
  if (regional) {
    const reserved = Object.keys(REGIONAL_ORGANISATION_CODES).join(', ');
    return [
      problem(
        `${base}/isRegionalOrganisation`,
        `'${code}' is a country code; a regional organisation must use a reserved code (${reserved})`,
      ),
    ];
  }
  return [];
}

function conventionProblems(base: string, convention: Record<string, unknown>): DirectoryProblem[] {
  const out: DirectoryProblem[] = [];
  const signed = dateOf(convention['signedOn']);
  const deposited = dateOf(convention['depositedOn']);
  const denounced = dateOf(convention['denouncedOn']);
  if (signed && (signed < SIGNATURE_WINDOW.opensOn || signed > SIGNATURE_WINDOW.closesAfter)) {
    out.push(
      problem(
        `${base}/signedOn`,
        `signature on ${signed} is outside the signature period of ${SIGNATURE_WINDOW.article} (Hanoi, 25–26 October 2025, then New York until 31 December 2026); a State that did not sign in that period joins by accession`,
      ),
    );
  }
  if (signed && deposited && deposited < signed) {
    out.push(problem(`${base}/depositedOn`, `deposit on ${deposited} is before signature on ${signed}`));
  }
  if (denounced && !deposited && convention['depositedOn'] === undefined) {
    out.push(
      problem(
        `${base}/denouncedOn`,
        'a State that has deposited no instrument cannot denounce the Convention',
      ),
    );
  }
  if (denounced && deposited && denounced < deposited) {
    out.push(
      problem(`${base}/denouncedOn`, `denunciation on ${denounced} is before deposit on ${deposited}`),
    );
  }
  return out;
}

/** `until` must not come before `inForceFrom` (instruments and treaties). */
export function periodProblems(base: string, item: Record<string, unknown>): DirectoryProblem[] {
  const from = dateOf(item['inForceFrom']);
  const until = dateOf(item['until']);
  if (from && until && until < from) {
    return [problem(`${base}/until`, `end date ${until} is before the start date ${from} (inForceFrom)`)];
  }
  return [];
}
