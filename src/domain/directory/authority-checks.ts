// Semantic checks on authorities: ids unique across the directory, real IANA time zones and
// language tags, sane office hours, one 24/7 point per Party, public keys only.
import { instantOf, list, rec, str } from './loose.ts';
import { type DirectoryProblem, problem, show } from './problem.ts';

// JWK members that only a private or symmetric key has (RFC 7517/7518).
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Problems of every authority of every party. */
export function authorityProblems(parties: unknown[]): DirectoryProblem[] {
  const out: DirectoryProblem[] = [];
  const idAt = new Map<string, string>();
  parties.forEach((rawParty, i) => {
    const party = rec(rawParty);
    const code = str(party['code']) ?? `parties/${i}`;
    let point247: string | undefined;
    list(party['authorities']).forEach((raw, j) => {
      const authority = rec(raw);
      const base = `/parties/${i}/authorities/${j}`;
      const id = str(authority['id']);
      if (id) {
        const first = idAt.get(id);
        if (first)
          out.push(
            problem(`${base}/id`, `authority id '${id}' is already used at ${first}; ids must be unique`),
          );
        else idAt.set(id, base.slice(1));
      }
      if (authority['kind'] === 'POINT_24_7') {
        if (point247) {
          out.push(
            problem(
              `${base}/kind`,
              `${code} already has a 24/7 point (${point247}); a Party designates only one (art. 41)`,
            ),
          );
        } else point247 = base.slice(1);
      }
      out.push(...zoneProblems(`${base}/timeZone`, authority['timeZone']));
      list(authority['languages']).forEach((tag, k) => {
        out.push(...languageProblems(`${base}/languages/${k}`, tag));
      });
      out.push(...hoursProblems(`${base}/workingHours`, rec(authority['workingHours'])));
      const node = rec(authority['node']);
      for (const set of ['signingKeys', 'encryptionKeys'])
        out.push(...keyProblems(`${base}/node/${set}`, list(node[set])));
    });
  });
  return out;
}

function zoneProblems(path: string, zone: unknown): DirectoryProblem[] {
  if (typeof zone !== 'string' || zone === '') return [];
  // Offsets such as '+07:00' are accepted by Intl but ignore summer time: require a zone name.
  const named = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  if (named && isTimeZone(zone)) return [];
  return [problem(path, `${show(zone)} is not an IANA time zone name (e.g. Asia/Ho_Chi_Minh, Europe/Paris)`)];
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function languageProblems(path: string, tag: unknown): DirectoryProblem[] {
  if (typeof tag !== 'string' || tag === '') return [];
  try {
    Intl.getCanonicalLocales(tag);
    return [];
  } catch {
    return [problem(path, `${show(tag)} is not a BCP 47 language tag (e.g. en, fr, vi)`)];
  }
}

function hoursProblems(path: string, hours: Record<string, unknown>): DirectoryProblem[] {
  const start = str(hours['start']);
  const end = str(hours['end']);
  // Overnight office hours are not modelled: an authority staffed at night is a 24/7 one.
  if (start && end && /^\d\d:\d\d$/.test(start) && /^\d\d:\d\d$/.test(end) && end <= start) {
    return [problem(`${path}/end`, `closing time ${end} is not after opening time ${start}`)];
  }
  return [];
}

function keyProblems(base: string, keys: unknown[]): DirectoryProblem[] {
  const out: DirectoryProblem[] = [];
  const kids = new Set<string>();
  keys.forEach((raw, k) => {
    const key = rec(raw);
    const path = `${base}/${k}`;
    const kid = str(key['kid']);
    if (kid && kids.has(kid))
      out.push(problem(`${path}/kid`, `key id '${kid}' is used twice in this key set`));
    if (kid) kids.add(kid);
    const jwk = rec(key['publicJwk']);
    const secret = PRIVATE_JWK_MEMBERS.filter((m) => Object.hasOwn(jwk, m));
    if (secret.length > 0) {
      out.push(
        problem(
          `${path}/publicJwk`,
          `contains private key material (${secret.join(', ')}); publish the public key only`,
        ),
      );
    }
    const from = instantOf(key['validFrom']);
    const until = instantOf(key['validUntil']);
    if (from !== undefined && until !== undefined && until <= from) {
      out.push(problem(`${path}/validUntil`, 'key expiry is not after its validFrom time'));
    }
  });
  return out;
}
