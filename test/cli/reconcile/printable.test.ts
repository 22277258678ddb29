import { describe, expect, it } from "vitest";
import { printable } from "../../../cli/reconcile/printable.ts";

describe("printable", () => {
  it.each([
    ["Tier\u001b[31m 1", "Tier\\u{1b}[31m 1"],
    ["a\nb\rc\u0085d", "a\\u{a}b\\u{d}c\\u{85}d"],
    ["evil\u202etxt.exe", "evil\\u{202e}txt.exe"],
    ["line\u2028sep", "line\\u{2028}sep"],
  ])("escapes what would act on the terminal in %j", (input, expected) => {
    expect(printable(input)).toBe(expected);
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    expect(printable("Équipe Montréal 🇨🇦 – Reno, NV")).toBe("Équipe Montréal 🇨🇦 – Reno, NV");
  });
});
