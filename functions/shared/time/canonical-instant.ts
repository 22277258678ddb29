const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Turns an RFC 3339 timestamp with any offset into `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` in UTC, so that plain string
 * comparison (in memory and in DynamoDB conditions alike) orders instants correctly, down to nanoseconds.
 * Returns undefined for text that is not RFC 3339 with an offset.
 */
export function canonicalInstant(timestamp: string): string | undefined {
  const m = RFC3339.exec(timestamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", z, sign, oh, om] = m;
  const offsetMinutes = z ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (!Number.isFinite(ms)) return undefined;
  const whole = new Date(ms).toISOString().slice(0, 19);
  if (whole.startsWith("+") || whole.startsWith("-")) return undefined;
  return `${whole}.${frac.padEnd(9, "0")}Z`;
}

/** The canonical instant of an epoch millisecond, comparable with canonicalInstant's output. */
export function canonicalInstantAt(epochMs: number): string {
  return canonicalInstant(new Date(epochMs).toISOString()) as string;
}
