import type { Watermark } from "./ledger-store.ts";

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
