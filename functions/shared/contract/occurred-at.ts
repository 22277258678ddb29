import { canonicalInstant } from "../time/canonical-instant.ts";

const FIELDS = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

export type OccurredAtProblem = "not_rfc3339" | "no_such_instant" | "year_out_of_range";

export const OCCURRED_AT_MESSAGES: Record<OccurredAtProblem, string> = {
  not_rfc3339: "must be an RFC 3339 date-time with an offset (Z or ±HH:MM), e.g. 2026-01-16T09:12:00Z",
  no_such_instant: "is not a real date and time (check day, hour, minute, second and offset)",
  year_out_of_range: "must fall in the years 0100 to 9999",
};

/**
 * Checks an `occurred_at` value. The format is delegated to canonicalInstant (shared with the ledger) so that every timestamp
 * the contract accepts is one the ledger can order. canonicalInstant lets Date.UTC roll impossible fields over
 * (Feb 30 -> Mar 2, 24:00 -> next day) and reads years 0000-0099 as 1900-1999, so the fields are checked here too
 * and the instant it produced must be the one the text really names.
 * Leap seconds (:60) are refused: JavaScript time cannot represent them.
 */
export function checkOccurredAt(text: string): OccurredAtProblem | undefined {
  const canonical = canonicalInstant(text);
  const m = FIELDS.exec(text);
  if (canonical === undefined || !m) return "not_rfc3339";
  const field = (index: number): number => Number(m[index] ?? 0);
  const [year, month, day, hour, minute, second] = [
    field(1),
    field(2),
    field(3),
    field(4),
    field(5),
    field(6),
  ];
  const offsetMinutes = (m[7] === "-" ? -1 : 1) * (field(8) * 60 + field(9));
  if (field(8) > 23 || field(9) > 59) return "no_such_instant";

  // setUTCFullYear, unlike Date.UTC, takes years below 100 literally; rolled-over fields show up as a mismatch.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const sameFields =
    local.getUTCFullYear() === year &&
    local.getUTCMonth() === month - 1 &&
    local.getUTCDate() === day &&
    local.getUTCHours() === hour &&
    local.getUTCMinutes() === minute &&
    local.getUTCSeconds() === second;
  if (!sameFields) return "no_such_instant";

  const utc = new Date(local.getTime() - offsetMinutes * 60_000).toISOString().slice(0, 19);
  return canonical.startsWith(utc) ? undefined : "year_out_of_range";
}
