// Validates a parsed scenario file and lists EVERY problem at once, so the controller fixes the file
// in one pass: the schema's structural problems, then the rules a schema cannot express — States the
// directory does not know, injects or targets after the end, actions without a target, duplicate
// ids, references to injects or participants that do not exist. Pure: the States are a parameter.
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { offsetMinutes } from './offsets.ts';
import { Scenario } from './scenario-schema.ts';

export const SCENARIO_PROBLEM_CODES = [
  'schema',
  'bad_duration',
  'unknown_state',
  'duplicate_id',
  'inject_after_end',
  'action_without_target',
  'action_after_end',
  'unknown_inject',
  'unknown_participant',
  'no_real_participant',
  'missing_request',
  'missing_alert',
  'missing_expectation',
] as const;
export type ScenarioProblemCode = (typeof SCENARIO_PROBLEM_CODES)[number];

export type ScenarioProblem = { path: string; code: ScenarioProblemCode; message: string };

export type ScenarioValidation =
  | { ok: true; scenario: Scenario }
  | { ok: false; problems: ScenarioProblem[] };

function schemaProblems(input: unknown): ScenarioProblem[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: 1000 });
  try {
    const seen = new Set<string>();
    const out: ScenarioProblem[] = [];
    for (const e of Value.Errors(Scenario, input) as Iterable<{
      instancePath: string;
      message: string;
      keyword: string;
      params: Record<string, unknown>;
    }>) {
      const names =
        e.keyword === 'required'
          ? ((e.params.requiredProperties as string[]) ?? []).map((n) => `${e.instancePath}/${n}`)
          : e.keyword === 'additionalProperties'
            ? ((e.params.additionalProperties as string[]) ?? []).map((n) => `${e.instancePath}/${n}`)
            : [e.instancePath];
      const message =
        e.keyword === 'required'
          ? 'is required'
          : e.keyword === 'additionalProperties'
            ? 'is not allowed'
            : e.message;
      for (const path of names) {
        const key = `${path}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ path, code: 'schema', message });
      }
    }
    return out;
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

/** Minutes of an offset, or a problem at its path. */
function minutesAt(value: unknown, path: string, problems: ScenarioProblem[]): number | null {
  const minutes = offsetMinutes(value);
  if (minutes === null) {
    problems.push({
      path,
      code: 'bad_duration',
      message: 'must be an ISO 8601 duration such as PT30M, or minutes',
    });
  }
  return minutes;
}

function duplicates(ids: string[], base: string, problems: ScenarioProblem[]): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id))
      problems.push({
        path: `${base}/${i}/id`,
        code: 'duplicate_id',
        message: `the id '${id}' is used twice`,
      });
    seen.add(id);
  });
}

/** The rules between the parts of a structurally valid scenario. */
function ruleProblems(s: Scenario, knownStates: ReadonlySet<string>): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const end = minutesAt(s.duration, '/duration', problems);
  const players = new Set(s.participants.map((p) => p.state));
  const unknownState = (state: string | undefined, path: string) => {
    if (state !== undefined && !knownStates.has(state))
      problems.push({
        path,
        code: 'unknown_state',
        message: `${state} is not a State of this node's directory`,
      });
  };
  const notPlaying = (state: string | undefined, path: string) => {
    if (state !== undefined && knownStates.has(state) && !players.has(state))
      problems.push({
        path,
        code: 'unknown_participant',
        message: `${state} does not take part in the exercise`,
      });
  };
  s.participants.forEach((p, i) => {
    unknownState(p.state, `/participants/${i}/state`);
  });
  // One State may field several organisations (its 24/7 point, a bank, a telecom), each once.
  const seenOrganisations = new Set<string>();
  s.participants.forEach((p, i) => {
    const key = `${p.state}\u0000${p.organisation}`;
    if (seenOrganisations.has(key))
      problems.push({
        path: `/participants/${i}/organisation`,
        code: 'duplicate_id',
        message: `${p.organisation} of ${p.state} is listed twice`,
      });
    seenOrganisations.add(key);
  });
  if (!s.participants.some((p) => !p.simulated))
    problems.push({
      path: '/participants',
      code: 'no_real_participant',
      message: 'at least one participant must be played by people',
    });
  s.participants.forEach((p, i) => {
    for (const key of ['acknowledgeAfter', 'executeAfter'] as const)
      if (p.behaviour?.[key] !== undefined)
        minutesAt(p.behaviour[key], `/participants/${i}/behaviour/${key}`, problems);
  });
  duplicates(
    s.injects.map((x) => x.id),
    '/injects',
    problems,
  );
  const injectAt = new Map<string, number | null>();
  s.injects.forEach((inject, i) => {
    const at = minutesAt(inject.at, `/injects/${i}/at`, problems);
    injectAt.set(inject.id, at);
    if (at !== null && end !== null && at > end)
      problems.push({
        path: `/injects/${i}/at`,
        code: 'inject_after_end',
        message: `the inject comes ${at} minutes after the start, after the end at ${end}`,
      });
    unknownState(inject.from, `/injects/${i}/from`);
    unknownState(inject.to, `/injects/${i}/to`);
    notPlaying(inject.from, `/injects/${i}/from`);
    notPlaying(inject.to, `/injects/${i}/to`);
    if (inject.kind === 'incoming_request') {
      if (!inject.request)
        problems.push({
          path: `/injects/${i}/request`,
          code: 'missing_request',
          message: 'an incoming request inject needs the request',
        });
      for (const key of ['from', 'to'] as const)
        if (!inject[key])
          problems.push({
            path: `/injects/${i}/${key}`,
            code: 'missing_request',
            message: `an incoming request inject needs '${key}'`,
          });
    }
    if (inject.kind === 'hub_alert' && !inject.alert)
      problems.push({
        path: `/injects/${i}/alert`,
        code: 'missing_alert',
        message: 'a hub alert inject needs the alert',
      });
    if (inject.offlineFor !== undefined) minutesAt(inject.offlineFor, `/injects/${i}/offlineFor`, problems);
  });
  duplicates(
    s.expectedActions.map((a) => a.id),
    '/expectedActions',
    problems,
  );
  s.expectedActions.forEach((action, i) => {
    const path = `/expectedActions/${i}`;
    unknownState(action.by, `${path}/by`);
    notPlaying(action.by, `${path}/by`);
    unknownState(action.to, `${path}/to`);
    if (action.within === undefined)
      problems.push({
        path: `${path}/within`,
        code: 'action_without_target',
        message: 'an expected action needs a target time (within)',
      });
    const within = action.within === undefined ? null : minutesAt(action.within, `${path}/within`, problems);
    let reference: number | null = 0;
    if (action.inject !== undefined) {
      if (!injectAt.has(action.inject)) {
        problems.push({
          path: `${path}/inject`,
          code: 'unknown_inject',
          message: `no inject has the id '${action.inject}'`,
        });
        reference = null;
      } else reference = injectAt.get(action.inject) ?? null;
    }
    if (within !== null && reference !== null && end !== null && reference + within > end)
      problems.push({
        path: `${path}/within`,
        code: 'action_after_end',
        message: `the target falls ${reference + within} minutes after the start, after the end at ${end}`,
      });
    const needs: Partial<Record<typeof action.kind, keyof typeof action>> = {
      choose_legal_basis: 'legalBasis',
      refuse: 'grounds',
      share_indicator: 'tlp',
      send_request: 'requestType',
    };
    const needed = needs[action.kind];
    if (needed && action[needed] === undefined)
      problems.push({
        path: `${path}/${needed}`,
        code: 'missing_expectation',
        message: `a '${action.kind}' action needs '${needed}'`,
      });
  });
  return problems;
}

/** Checks a parsed scenario against the schema and the rules; `knownStates` are the directory's Parties. */
export function validateScenario(input: unknown, knownStates: ReadonlySet<string>): ScenarioValidation {
  const structural = schemaProblems(input);
  if (structural.length > 0) {
    // The rules are still checked on what can be read, so that one pass lists every problem.
    const loose = looseScenario(input);
    const rules = loose ? ruleProblems(loose, knownStates) : [];
    return {
      ok: false,
      problems: [...structural, ...rules.filter((r) => !structural.some((p) => p.path === r.path))],
    };
  }
  const scenario = input as Scenario;
  const problems = ruleProblems(scenario, knownStates);
  return problems.length === 0 ? { ok: true, scenario } : { ok: false, problems };
}

/** A structurally invalid scenario read as far as its arrays allow, for the rule pass. */
function looseScenario(input: unknown): Scenario | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  const s = input as Record<string, unknown>;
  const list = (v: unknown) =>
    (Array.isArray(v) ? v : []).filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
  return {
    ...(s as object),
    duration: s.duration,
    participants: list(s.participants),
    injects: list(s.injects),
    expectedActions: list(s.expectedActions),
  } as Scenario;
}
