import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../../../functions/shared/ledger/watermark.ts";

// Random text, plus text from a few tricky characters so that prefixes and near-ties come up often.
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: fc.constantFrom("a", "\u{E000}", "\u{FFFF}", "\u{10000}", "\u{1F600}"), maxLength: 4 }),
);

/** No lone surrogates: only such text has a UTF-8 form to compare with. */
const wellFormed = (t: string) => !/\p{Surrogate}/u.test(t);

describe("compareCodePoints", () => {
  it.each([
    { a: "evt_\u{E000}", b: "evt_\u{10000}" },
    { a: "evt_\u{FFFF}", b: "evt_\u{1F600}" },
    { a: "evt_a", b: "evt_a0" },
    { a: "", b: "\u0000" },
  ])("orders $a before $b, where JavaScript's < may not", ({ a, b }) => {
    expect(compareCodePoints(a, b)).toBe(-1);
    expect(compareCodePoints(b, a)).toBe(1);
  });

  it("agrees with the order of the UTF-8 bytes, which is what a code point order is", () => {
    fc.assert(
      fc.property(text.filter(wellFormed), text.filter(wellFormed), (a, b) => {
        const bytes = Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
        expect(compareCodePoints(a, b)).toBe(bytes);
      }),
      { numRuns: 500 },
    );
  });
});
