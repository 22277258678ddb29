import { describe, expect, it } from "vitest";
import { UsageError } from "../../cli/errors.ts";
import { formatAge, parseTimeBound } from "../../cli/time-bound.ts";

const NOW = new Date("2026-01-16T12:00:00Z");

describe("parseTimeBound", () => {
  it.each([
    { text: "45s", expected: "2026-01-16T11:59:15.000Z" },
    { text: "30m", expected: "2026-01-16T11:30:00.000Z" },
    { text: "2h", expected: "2026-01-16T10:00:00.000Z" },
    { text: "7d", expected: "2026-01-09T12:00:00.000Z" },
    { text: "1w", expected: "2026-01-09T12:00:00.000Z" },
    { text: "2026-01-15", expected: "2026-01-15T00:00:00.000Z" },
    { text: "2026-01-15T08:30:00Z", expected: "2026-01-15T08:30:00.000Z" },
    { text: "2026-01-15T08:30:00+05:30", expected: "2026-01-15T03:00:00.000Z" },
    { text: "2026-01-15T08:30:00.250Z", expected: "2026-01-15T08:30:00.250Z" },
  ])("reads $text as $expected", ({ text, expected }) => {
    // Act
    const instant = parseTimeBound(text, NOW, "--older-than");

    // Assess
    expect(instant.toISOString()).toBe(expected);
  });

  it.each(["", "30", "2 h", "-1h", "1y", "yesterday", "2026-01-15T08:30:00", "2026-13-45"])(
    "refuses %j as a usage error naming the flag",
    (text) => {
      // Act
      const attempt = () => parseTimeBound(text, NOW, "--newer-than");

      // Assess
      expect(attempt).toThrow(UsageError);
      expect(attempt).toThrow(/--newer-than/);
    },
  );
});

describe("formatAge", () => {
  it.each([
    { ms: -5_000, expected: "0s" },
    { ms: 45_000, expected: "45s" },
    { ms: 12 * 60_000 + 59_000, expected: "12m" },
    { ms: 3 * 3_600_000, expected: "3h" },
    { ms: 3 * 3_600_000 + 5 * 60_000, expected: "3h 5m" },
    { ms: 2 * 86_400_000 + 4 * 3_600_000, expected: "2d 4h" },
    { ms: 9 * 86_400_000, expected: "9d" },
  ])("shows $ms ms as $expected", ({ ms, expected }) => {
    expect(formatAge(ms)).toBe(expected);
  });
});
