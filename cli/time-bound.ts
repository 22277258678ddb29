import { UsageError } from "./errors.ts";

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const DURATION = /^(\d+)([smhdw])$/;
// A date alone, or a date-time with an offset: a local time without an offset would depend on the operator's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * The instant a --older-than / --newer-than value names: a duration back from now (`30m`, `2h`, `7d`) or an
 * ISO 8601 date or date-time with an offset (`2026-01-16`, `2026-01-16T09:00:00Z`).
 */
export function parseTimeBound(text: string, now: Date, flag: string): Date {
  const duration = DURATION.exec(text);
  if (duration) {
    const [, amount, unit] = duration;
    return new Date(now.getTime() - Number(amount) * (UNIT_MS[unit as string] as number));
  }
  if (ISO_INSTANT.test(text)) {
    const instant = Date.parse(text);
    if (!Number.isNaN(instant)) return new Date(instant);
  }
  throw new UsageError(
    `${flag} takes a duration such as 30m, 2h or 7d, or an ISO date-time with an offset such as ` +
      `2026-01-16T09:00:00Z (got ${JSON.stringify(text)})`,
  );
}

/** A short age for tables: `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1_000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}
