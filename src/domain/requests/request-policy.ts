// The configurable figures of the request domain in one JSON object, checked as a whole:
// { "deadlines": { "acknowledge": { "EMERGENCY": "PT1H" }, "executeByType": { ... },
//   "emergencyApprovalWithin": "PT4H" }, "preservation": { "periodDays": 90 } }.
// The Convention gives few figures and some are unverified [U]: each has a default here.
import { REQUEST_TYPES, URGENCIES } from '../codes.ts';
import { type DeadlinePolicy, resolveDeadlinePolicy } from './deadlines.ts';
import { durationMs } from './durations.ts';
import { type PreservationPolicy, preservationFloor, resolvePreservationPolicy } from './preservation.ts';

export type RequestPolicy = { deadlines: DeadlinePolicy; preservation: PreservationPolicy };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a policy object; every problem is listed (path: message), nothing is half-applied. */
export function parseRequestPolicy(
  value: unknown,
): { ok: true; policy: RequestPolicy } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const root = value ?? {};
  if (!isObject(root)) return { ok: false, problems: ['the request policy must be a JSON object'] };
  const unknownKeys = (o: Record<string, unknown>, allowed: readonly string[], path: string) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${path}${k}: not a setting`);
  };
  unknownKeys(root, ['deadlines', 'preservation'], '');
  const durations = (o: unknown, path: string): Record<string, string> => {
    if (o === undefined) return {};
    if (!isObject(o)) {
      problems.push(`${path}: must be an object of urgencies`);
      return {};
    }
    unknownKeys(o, URGENCIES, `${path}.`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) {
      try {
        durationMs(String(v));
        out[k] = String(v);
      } catch {
        problems.push(`${path}.${k}: '${String(v)}' is not a duration such as P60D or PT8H`);
      }
    }
    return out;
  };
  const d = root.deadlines ?? {};
  const deadlines: Partial<DeadlinePolicy> = {};
  if (!isObject(d)) problems.push('deadlines: must be an object');
  else {
    unknownKeys(d, ['acknowledge', 'execute', 'executeByType', 'emergencyApprovalWithin'], 'deadlines.');
    deadlines.acknowledge = durations(
      d.acknowledge,
      'deadlines.acknowledge',
    ) as DeadlinePolicy['acknowledge'];
    deadlines.execute = durations(d.execute, 'deadlines.execute') as DeadlinePolicy['execute'];
    if (d.executeByType !== undefined) {
      if (!isObject(d.executeByType))
        problems.push('deadlines.executeByType: must be an object of request types');
      else {
        unknownKeys(d.executeByType, REQUEST_TYPES, 'deadlines.executeByType.');
        deadlines.executeByType = Object.fromEntries(
          Object.entries(d.executeByType).map(([t, v]) => [t, durations(v, `deadlines.executeByType.${t}`)]),
        );
      }
    }
    if (d.emergencyApprovalWithin !== undefined) {
      const within = durations({ EMERGENCY: d.emergencyApprovalWithin }, 'deadlines.emergencyApprovalWithin');
      if (within.EMERGENCY) deadlines.emergencyApprovalWithin = within.EMERGENCY;
    }
  }
  const p = root.preservation ?? {};
  const preservation: Partial<PreservationPolicy> = {};
  if (!isObject(p)) problems.push('preservation: must be an object');
  else {
    if (p.minimumDays !== undefined) {
      const floor = preservationFloor()!;
      problems.push(
        `preservation.minimumDays: not a setting: the ${floor.days}-day minimum is set by law (${floor.article}); set periodDays to preserve longer`,
      );
    }
    unknownKeys(p, ['minimumDays', 'periodDays', 'extensionDays', 'reminderDaysBefore'], 'preservation.');
    for (const key of ['periodDays', 'extensionDays'] as const) {
      const v = p[key];
      if (v === undefined) continue;
      const floor = preservationFloor()!;
      if (!Number.isInteger(v) || (v as number) < 1)
        problems.push(`preservation.${key}: must be a whole number of days`);
      else if (key === 'periodDays' && (v as number) < floor.days)
        problems.push(
          `preservation.periodDays: ${v} days is under the ${floor.days}-day minimum (${floor.article}); the minimum is law, not a setting`,
        );
      else preservation[key] = v as number;
    }
    if (p.reminderDaysBefore !== undefined) {
      const list = p.reminderDaysBefore;
      if (!Array.isArray(list) || !list.every((n) => Number.isInteger(n) && n > 0))
        problems.push('preservation.reminderDaysBefore: must be a list of whole numbers of days');
      else preservation.reminderDaysBefore = list as number[];
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  try {
    return {
      ok: true,
      policy: {
        deadlines: resolveDeadlinePolicy(deadlines),
        preservation: resolvePreservationPolicy(preservation),
      },
    };
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
}
