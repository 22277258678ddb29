import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEventBody } from "../../../functions/shared/contract/index.ts";
import { toSqsText } from "../../../functions/shared/sqs-text.ts";

const LONE_SURROGATE = /\p{Cs}/u;

/** SQS's allowed characters, written out from its documentation as code point ranges. */
function sqsAccepts(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) return false;
  }
  return true;
}

describe("toSqsText", () => {
  it("makes the parser's message about a body starting with an emoji well-formed", () => {
    // Prepare: V8 quotes one UTF-16 unit of the emoji, i.e. half a character.
    const parsed = parseEventBody("😀 not json");
    if (parsed.ok) throw new Error("expected a parse failure");
    expect(parsed.detail).toMatch(LONE_SURROGATE);

    // Act
    const text = toSqsText(parsed.detail);

    // Assess
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text).toContain("Unexpected token '\uFFFD'");
    expect(text).toContain('"😀 not json"');
  });

  it.each([
    { name: "a lone high surrogate", input: "a\ud83db", expected: "a\uFFFDb" },
    { name: "a lone low surrogate", input: "a\ude00b", expected: "a\uFFFDb" },
    { name: "reversed halves", input: "\ude00\ud83d", expected: "\uFFFD\uFFFD" },
    {
      name: "NUL, ESC and other C0 controls",
      input: "x\u0000y\u001bz\u0008",
      expected: "x\uFFFDy\uFFFDz\uFFFD",
    },
    { name: "U+FFFE and U+FFFF", input: "\uFFFE\uFFFF", expected: "\uFFFD\uFFFD" },
  ])("replaces $name with U+FFFD", ({ input, expected }) => {
    // Act
    const text = toSqsText(input);

    // Assess
    expect(text).toBe(expected);
  });

  it("keeps tab, line breaks, BMP text and whole astral characters as they are", () => {
    // Prepare
    const input = "tab\there\r\nZürich \uD7FF\uE000\uFFFD 😀 \u{10FFFF}";

    // Act
    const text = toSqsText(input);

    // Assess
    expect(text).toBe(input);
  });

  it("always yields text SQS accepts, of the same UTF-16 length", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (input) => {
        const text = toSqsText(input);
        expect(sqsAccepts(text)).toBe(true);
        expect(text).toHaveLength(input.length);
      }),
    );
  });

  it("changes nothing SQS already accepts", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (input) => {
        fc.pre(sqsAccepts(input));
        expect(toSqsText(input)).toBe(input);
      }),
    );
  });
});
