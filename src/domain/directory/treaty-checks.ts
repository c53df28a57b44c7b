// Semantic checks on treaties: unique ids, parties known to the directory, bilateral means two.
import { list, rec, str } from './loose.ts';
import { periodProblems } from './party-checks.ts';
import { type DirectoryProblem, problem } from './problem.ts';

/** Problems of every treaty, given the party codes listed in the directory. */
export function treatyProblems(treaties: unknown[], partyCodes: ReadonlySet<string>): DirectoryProblem[] {
  const out: DirectoryProblem[] = [];
  const firstIndex = new Map<string, number>();
  treaties.forEach((raw, t) => {
    const treaty = rec(raw);
    const base = `/treaties/${t}`;
    const id = str(treaty['id']);
    if (id) {
      const first = firstIndex.get(id);
      if (first === undefined) firstIndex.set(id, t);
      else out.push(problem(`${base}/id`, `treaty id '${id}' is already used by treaties/${first}`));
    }
    const parties = list(treaty['parties']);
    parties.forEach((code, j) => {
      if (typeof code === 'string' && /^[A-Z]{2}$/.test(code) && !partyCodes.has(code)) {
        out.push(problem(`${base}/parties/${j}`, `'${code}' is not a party listed in this directory`));
      }
    });
    if (treaty['kind'] === 'BILATERAL_TREATY' && parties.length !== 2 && Array.isArray(treaty['parties'])) {
      out.push(
        problem(
          `${base}/parties`,
          `a bilateral treaty has exactly two parties; this one lists ${parties.length}`,
        ),
      );
    }
    out.push(...periodProblems(base, treaty));
  });
  return out;
}
