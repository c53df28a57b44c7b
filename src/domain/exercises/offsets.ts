// Times in a scenario: an ISO 8601 duration after the start (PT30M, P3D, P1DT2H30M) or a plain
// number of minutes. Exercise scripts are written in minutes; seconds are kept as fractions.

const PATTERN = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** The minutes an offset stands for, or null when it is neither a duration nor a non-negative number. */
export function offsetMinutes(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = PATTERN.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const [, d, h, min, s] = m;
  return (Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0) + Number(s ?? 0) / 60;
}
