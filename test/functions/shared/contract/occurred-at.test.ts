import { describe, expect, it } from "vitest";
import { checkOccurredAt } from "../../../../functions/shared/contract/occurred-at.ts";
import { canonicalInstant } from "../../../../functions/shared/time/canonical-instant.ts";

describe("checkOccurredAt", () => {
  it.each([
    { value: "2026-01-16T09:12:00Z", problem: undefined },
    { value: "2026-01-16T09:12:00+00:00", problem: undefined },
    { value: "2026-01-16T14:42:00+05:30", problem: undefined },
    { value: "2026-01-16T09:12:00-23:59", problem: undefined },
    { value: "2026-01-16t09:12:00z", problem: undefined },
    { value: "2026-01-16T09:12:00.123456789Z", problem: undefined },
    { value: "2028-02-29T00:00:00Z", problem: undefined },
    { value: "2026-12-31T23:59:59Z", problem: undefined },
    { value: "0100-01-01T00:00:00Z", problem: undefined },
    { value: "2026-01-16T09:12:00", problem: "not_rfc3339" },
    { value: "2026-01-16", problem: "not_rfc3339" },
    { value: "2026-1-16T09:12:00Z", problem: "not_rfc3339" },
    { value: "2026-01-16T09:12:00+05", problem: "not_rfc3339" },
    { value: " 2026-01-16T09:12:00Z", problem: "not_rfc3339" },
    { value: "2026-02-30T09:12:00Z", problem: "no_such_instant" },
    { value: "2027-02-29T09:12:00Z", problem: "no_such_instant" },
    { value: "2026-04-31T09:12:00Z", problem: "no_such_instant" },
    { value: "2026-13-01T09:12:00Z", problem: "no_such_instant" },
    { value: "2026-00-10T09:12:00Z", problem: "no_such_instant" },
    { value: "2026-01-00T09:12:00Z", problem: "no_such_instant" },
    { value: "2026-01-16T24:00:00Z", problem: "no_such_instant" },
    { value: "2026-01-16T09:60:00Z", problem: "no_such_instant" },
    { value: "2016-12-31T23:59:60Z", problem: "no_such_instant" },
    { value: "2026-01-16T09:12:00+24:00", problem: "no_such_instant" },
    { value: "2026-01-16T09:12:00+05:60", problem: "no_such_instant" },
    { value: "0050-01-01T00:00:00Z", problem: "year_out_of_range" },
    { value: "0000-01-01T00:30:00+01:00", problem: "year_out_of_range" },
  ])("$value -> $problem", ({ value, problem }) => {
    expect(checkOccurredAt(value)).toBe(problem);
  });

  it.each(["2026-02-30T09:12:00Z", "2026-01-16T24:00:00Z", "0050-01-01T00:00:00Z"])(
    "refuses %s, which canonicalInstant alone would accept",
    (value) => {
      // Assess: documents why the contract checks more than canonicalInstant does
      expect(canonicalInstant(value)).toBeDefined();
      expect(checkOccurredAt(value)).toBeDefined();
    },
  );
});
