// How a refused value is named in a message: quoted (JSON, so control characters show) and cut to
// 64 characters, so an officer finds the bad line of a bulk import and a long value cannot flood a
// log or reflect a payload. One format for the API, the CLI and the desk: "<value>": <reason>.

export const SHOWN_VALUE_LENGTH = 64;

/** The value as it is quoted in messages. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
  return JSON.stringify(cut);
}

/** `"<value>": <reason>`: the message of a refused value. */
export function refusedValue(value: unknown, reason: string): string {
  return `${showValue(value)}: ${reason}`;
}
