import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  shouldRetryResponse,
} from "../../../../functions/shared/vitable/retry-policy.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function headersOf(entries: Record<string, string>): Headers {
  return new Headers(entries);
}

describe("parseRetryAfter", () => {
  const cases: { name: string; headers: Record<string, string>; expected: number | undefined }[] = [
    { name: "no hint", headers: {}, expected: undefined },
    { name: "whole seconds", headers: { "Retry-After": "2" }, expected: 2000 },
    { name: "fractional seconds", headers: { "Retry-After": "1.5" }, expected: 1500 },
    { name: "zero seconds", headers: { "Retry-After": "0" }, expected: 0 },
    { name: "padded seconds", headers: { "Retry-After": " 3 " }, expected: 3000 },
    {
      name: "HTTP date in the future",
      headers: { "Retry-After": "Sun, 01 Mar 2026 12:00:07 GMT" },
      expected: 7000,
    },
    {
      name: "HTTP date in the past means now",
      headers: { "Retry-After": "Sun, 01 Mar 2026 11:59:00 GMT" },
      expected: 0,
    },
    { name: "RFC 850 date", headers: { "Retry-After": "Sunday, 01-Mar-26 12:00:04 GMT" }, expected: 4000 },
    { name: "retry-after-ms alone", headers: { "retry-after-ms": "250" }, expected: 250 },
    { name: "retry-after-ms wins", headers: { "retry-after-ms": "120", "Retry-After": "9" }, expected: 120 },
    {
      name: "garbage retry-after-ms falls back",
      headers: { "retry-after-ms": "soon", "Retry-After": "4" },
      expected: 4000,
    },
    {
      name: "negative retry-after-ms falls back",
      headers: { "retry-after-ms": "-5", "Retry-After": "1" },
      expected: 1000,
    },
    { name: "negative seconds ignored", headers: { "Retry-After": "-3" }, expected: undefined },
    { name: "garbage ignored", headers: { "Retry-After": "later please" }, expected: undefined },
    { name: "bare year-like number is seconds", headers: { "Retry-After": "2026" }, expected: 2_026_000 },
    {
      name: "unparsable date ignored",
      headers: { "Retry-After": "Sun, 99 Foo 2026 GMT" },
      expected: undefined,
    },
    { name: "infinity ignored", headers: { "Retry-After": "Infinity" }, expected: undefined },
  ];

  it.each(cases)("$name", ({ headers, expected }) => {
    // Prepare
    const input = headersOf(headers);

    // Act
    const delay = parseRetryAfter(input, NOW);

    // Assess
    expect(delay).toBe(expected);
  });
});

describe("backoffDelayMs", () => {
  it("stays within [0, min(cap, base * 2^n)] for any retry index and random draw", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retryIndex, baseDelayMs, maxDelayMs, draw) => {
          // Act
          const delay = backoffDelayMs(retryIndex, { baseDelayMs, maxDelayMs }, () => draw);

          // Assess
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });

  it.each([
    { retryIndex: 0, expectedCeiling: 250 },
    { retryIndex: 1, expectedCeiling: 500 },
    { retryIndex: 3, expectedCeiling: 2000 },
    { retryIndex: 10, expectedCeiling: 8000 },
  ])(
    "uses full jitter: a draw near 1 reaches the ceiling $expectedCeiling at retry $retryIndex",
    ({ retryIndex, expectedCeiling }) => {
      // Prepare
      const nearlyOne = () => 0.999_999;

      // Act
      const highest = backoffDelayMs(retryIndex, DEFAULT_RETRY_POLICY, nearlyOne);
      const lowest = backoffDelayMs(retryIndex, DEFAULT_RETRY_POLICY, () => 0);

      // Assess
      expect(highest).toBeCloseTo(expectedCeiling, 0);
      expect(lowest).toBe(0);
    },
  );
});

describe("shouldRetryResponse", () => {
  const statusCases = [
    { status: 400, expected: false },
    { status: 401, expected: false },
    { status: 403, expected: false },
    { status: 404, expected: false },
    { status: 408, expected: true },
    { status: 409, expected: true },
    { status: 422, expected: false },
    { status: 429, expected: true },
    { status: 500, expected: true },
    { status: 502, expected: true },
    { status: 503, expected: true },
    { status: 599, expected: true },
  ];

  it.each(statusCases)("status $status -> $expected without a server hint", ({ status, expected }) => {
    // Act
    const retry = shouldRetryResponse(status, headersOf({}));

    // Assess
    expect(retry).toBe(expected);
  });

  it.each([
    { status: 500, hint: "false", expected: false },
    { status: 429, hint: "FALSE", expected: false },
    { status: 400, hint: "true", expected: true },
    { status: 404, hint: " True ", expected: true },
    { status: 500, hint: "maybe", expected: true },
    { status: 400, hint: "maybe", expected: false },
  ])("x-should-retry: $hint overrides status $status -> $expected", ({ status, hint, expected }) => {
    // Prepare
    const headers = headersOf({ "x-should-retry": hint });

    // Act
    const retry = shouldRetryResponse(status, headers);

    // Assess
    expect(retry).toBe(expected);
  });
});

describe("DEFAULT_RETRY_POLICY", () => {
  it("has the documented defaults and cannot be mutated", () => {
    // Assess
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 4,
      baseDelayMs: 250,
      maxDelayMs: 8000,
      maxConflictRetries: 2,
    });
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });
});
