import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointOrderKey, compareCodePoints } from "../../../../functions/shared/ledger/watermark.ts";

// Random text, plus text from a few tricky characters so that prefixes and near-ties come up often.
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: fc.constantFrom("a", "\u{E000}", "\u{FFFF}", "\u{10000}", "\u{1F600}"), maxLength: 4 }),
);
const jsOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("codePointOrderKey", () => {
  it.each([
    { a: "evt_\u{E000}", b: "evt_\u{10000}" },
    { a: "evt_\u{FFFF}", b: "evt_\u{1F600}" },
    { a: "evt_a", b: "evt_a0" },
    { a: "", b: "\u0000" },
    { a: "\uD800", b: "\u{10000}" },
  ])("orders $a before $b under JavaScript's < as in code point order", ({ a, b }) => {
    // Prepare
    const expected = compareCodePoints(a, b);

    // Act
    const actual = jsOrder(codePointOrderKey(a), codePointOrderKey(b));

    // Assess
    expect(expected).toBe(-1);
    expect(actual).toBe(-1);
  });

  it("sorts any two strings the way compareCodePoints does, and only equal strings share a key", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        // Act
        const keyOrder = jsOrder(codePointOrderKey(a), codePointOrderKey(b));

        // Assess
        expect(keyOrder).toBe(compareCodePoints(a, b));
        expect(codePointOrderKey(a) === codePointOrderKey(b)).toBe(a === b);
        expect(codePointOrderKey(a)).toMatch(/^(?:[0-9a-f]{6})*$/);
      }),
      { numRuns: 500 },
    );
  });
});
