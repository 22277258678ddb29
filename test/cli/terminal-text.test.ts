import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalText } from "../../cli/terminal-text.ts";

/** What a terminal could act on or that reorders or hides text: none may survive terminalText. */
const DANGEROUS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe("terminalText", () => {
  it.each([
    { name: "an OSC window title", input: "a\u001b]0;title\u0007b", shown: "a\\x1b]0;title\\x07b" },
    {
      name: "a CSI line erase and recolouring",
      input: "\u001b[2K\u001b[31mred",
      shown: "\\x1b[2K\\x1b[31mred",
    },
    { name: "carriage return, line feed, tab", input: "ok\rfake\n\tx", shown: "ok\\x0dfake\\x0a\\x09x" },
    { name: "DEL and C1 (CSI, NEL)", input: "a\u007fb\u009b2Kc\u0085", shown: "a\\x7fb\\x9b2Kc\\x85" },
    {
      name: "bidirectional overrides and isolates",
      input: "evt\u202etxt.exe\u2066\u2069",
      shown: "evt\\u202etxt.exe\\u2066\\u2069",
    },
    {
      name: "zero-width and line separators",
      input: "a\u200bb\u2028c\ufeff",
      shown: "a\\u200bb\\u2028c\\ufeff",
    },
    { name: "a lone surrogate", input: "x\ud83dy", shown: "x\\ud83dy" },
    { name: "an astral format character", input: "tag\u{e0041}", shown: "tag\\u{e0041}" },
  ])("shows $name escaped", ({ input, shown }) => {
    // Act
    const text = terminalText(input);

    // Assess
    expect(text).toBe(shown);
  });

  it("leaves printable text untouched, emoji and accents included", () => {
    // Prepare
    const input = "Tier 1 (Zürich) 😀 — grp_abc+/=";

    // Act
    const text = terminalText(input);

    // Assess
    expect(text).toBe(input);
  });

  it("keeps line feeds on request, escaping everything else", () => {
    // Act
    const text = terminalText("line 1\n\u001b[2Kline 2\r\n", { keepLineFeeds: true });

    // Assess
    expect(text).toBe("line 1\n\\x1b[2Kline 2\\x0d\n");
  });

  it("never lets a dangerous character through, for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (input) => {
        expect(terminalText(input)).not.toMatch(DANGEROUS);
      }),
    );
  });

  it("changes nothing in text that holds no dangerous character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (input) => {
        fc.pre(!DANGEROUS.test(input));
        expect(terminalText(input)).toBe(input);
      }),
    );
  });
});
