import type { Watermark } from "./ledger-store.ts";

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

/**
 * Orders strings by Unicode code point, which is also UTF-8 byte order: the order DynamoDB uses in conditions.
 * JavaScript's `<` compares UTF-16 code units and disagrees for characters above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Negative when `a` is older than `b`, positive when newer, zero when it is the same event position. */
export function compareWatermarks(a: Watermark, b: Watermark): number {
  if (a.instant !== b.instant) return a.instant < b.instant ? -1 : 1;
  return compareCodePoints(a.eventId, b.eventId);
}

/** True when `candidate` is strictly newer than `current` (or there is no current watermark). */
export function isNewer(candidate: Watermark, current: Watermark | undefined): boolean {
  return current === undefined || compareWatermarks(candidate, current) > 0;
}
