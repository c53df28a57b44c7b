// A region whose hub publishes the aggregate of its members' implementation reports (ASEAN in the
// demo): its name, the node that aggregates, and the member States whose nodes send their released
// reports to it. Each node is configured with the same three settings.

export type Region = { name: string; hub: string; members: string[] };

const CODE = /^[A-Z]{2}$/;
const NAME = /^[A-Z][A-Z0-9_-]{1,31}$/;

/** The region from its settings; all unset: none. Each problem names its setting. */
export function parseRegion(
  name: string | undefined,
  hub: string | undefined,
  members: string | undefined,
): { region: Region | null; problems: string[] } {
  if (!name && !hub && !members) return { region: null, problems: [] };
  const problems: string[] = [];
  const n = (name ?? '').trim().toUpperCase();
  const h = (hub ?? '').trim().toUpperCase();
  const list = (members ?? '')
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m !== '');
  if (!NAME.test(n))
    problems.push(`HANOI247_REPORT_REGION: '${name ?? ''}' must be a short name such as ASEAN`);
  if (!CODE.test(h))
    problems.push(
      `HANOI247_REPORT_REGION_HUB: '${hub ?? ''}' must be the two-letter code of the hub's State`,
    );
  const bad = list.filter((m) => !CODE.test(m));
  if (list.length === 0 || bad.length > 0)
    problems.push(
      `HANOI247_REPORT_REGION_MEMBERS: give the member States as two-letter codes separated by commas${bad.length ? ` ('${bad.join("', '")}' is not one)` : ''}`,
    );
  else if (CODE.test(h) && !list.includes(h))
    problems.push(`HANOI247_REPORT_REGION_MEMBERS: the hub ${h} must be one of the members`);
  if (problems.length > 0) return { region: null, problems };
  return { region: { name: n, hub: h, members: [...new Set(list)] }, problems };
}
