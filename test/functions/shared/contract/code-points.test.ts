import { describe, expect, it } from "vitest";
import { codePointLength, truncateText } from "../../../../functions/shared/contract/code-points.ts";

describe("codePointLength", () => {
  it.each([
    { text: "", length: 0 },
    { text: "abc", length: 3 },
    { text: "😀", length: 1 },
    { text: "e\u0301", length: 2 },
    { text: "👩‍💻", length: 3 },
    { text: "\ud83d", length: 1 },
  ])("$text.length units -> $length code points", ({ text, length }) => {
    expect(codePointLength(text)).toBe(length);
  });
});

describe("truncateText", () => {
  it.each([
    { text: "short", max: 10, expected: "short" },
    { text: "exactly10!", max: 10, expected: "exactly10!" },
    { text: "eleven char", max: 10, expected: "eleven ch…" },
    { text: "ab😀cd", max: 4, expected: "ab…" },
    { text: "😀😀😀", max: 5, expected: "😀😀…" },
    { text: "anything", max: 0, expected: "" },
  ])("$text to $max units -> $expected", ({ text, max, expected }) => {
    // Act
    const cut = truncateText(text, max);

    // Assess
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });
});
