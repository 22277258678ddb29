import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalJson } from "../../cli/terminal-json.ts";

const DANGEROUS_EXCEPT_LINE_FEED = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe("terminalJson", () => {
  it("escapes C1 controls, bidi overrides and astral format characters inside strings", () => {
    // Prepare
    const value = { "k\u202e": "a\u009b2K\u202eb\u{e0041}\u001b" };

    // Act
    const text = terminalJson(value);

    // Assess
    expect(text).toBe('{\n  "k\\u202e": "a\\u009b2K\\u202eb\\udb40\\udc41\\u001b"\n}');
  });

  it("is the indented JSON.stringify output when nothing needs escaping", () => {
    // Prepare
    const value = { id: "evt-1", name: "Zürich 😀", list: [1, null, true] };

    // Act
    const text = terminalJson(value);

    // Assess
    expect(text).toBe(JSON.stringify(value, null, 2));
  });

  it("always reads back as the same value and holds no raw dangerous character", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, text) => {
        const input = { value, text };
        const output = terminalJson(input);
        expect(output).not.toMatch(DANGEROUS_EXCEPT_LINE_FEED);
        expect(JSON.parse(output)).toEqual(JSON.parse(JSON.stringify(input)));
      }),
    );
  });
});
