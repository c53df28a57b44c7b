// ISO 8601 durations of the forms the configuration uses: P60D, PT8H, P1DT12H, PT30M.

const PATTERN = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds in an ISO 8601 duration of days, hours, minutes and seconds; throws on anything else. */
export function durationMs(iso: string): number {
  const m = PATTERN.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T'))
    throw new RangeError(`'${iso}' is not a duration such as P60D or PT8H`);
  const [, d, h, min, s] = m;
  return (((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

export const DAY_MS = 86_400_000;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
