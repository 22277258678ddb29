import { describe, expect, it } from "vitest";
import { UsageError } from "../../cli/errors.ts";
import { splitEvents } from "../../cli/event-input.ts";
import { MAX_JSON_DEPTH } from "../../functions/shared/contract/index.ts";

const event = (id: string) => ({ type: "group.renamed", event_id: id });

describe("splitEvents", () => {
  it.each([
    {
      name: "a JSON array, one event per element",
      text: JSON.stringify([event("a"), event("b")], null, 2),
      expected: [
        { position: "item 1", body: JSON.stringify(event("a")) },
        { position: "item 2", body: JSON.stringify(event("b")) },
      ],
    },
    {
      name: "one pretty-printed JSON object",
      text: `\n${JSON.stringify(event("a"), null, 2)}\n`,
      expected: [{ position: "document", body: JSON.stringify(event("a"), null, 2) }],
    },
    {
      name: "JSON Lines, skipping blank lines and keeping line numbers",
      text: `${JSON.stringify(event("a"))}\n\n${JSON.stringify(event("b"))}\r\n`,
      expected: [
        { position: "line 1", body: JSON.stringify(event("a")) },
        { position: "line 3", body: JSON.stringify(event("b")) },
      ],
    },
    {
      name: "JSON Lines with a broken line, which stays an item of its own",
      text: `${JSON.stringify(event("a"))}\n{"type": oops\n`,
      expected: [
        { position: "line 1", body: JSON.stringify(event("a")) },
        { position: "line 2", body: '{"type": oops' },
      ],
    },
  ])("splits $name", ({ text, expected }) => {
    expect(splitEvents(text)).toEqual(expected);
  });

  it.each([
    { name: "empty input", text: "  \n " },
    { name: "an empty array", text: "[]" },
    { name: "a broken array", text: '[{"type": "group.renamed"},' },
  ])("refuses $name as a usage error", ({ text }) => {
    expect(() => splitEvents(text)).toThrow(UsageError);
  });

  it("splits an array whose items nest up to the limit", () => {
    // Prepare: the array is level 1, so an item may hold 63 levels.
    const deep = `${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}`;

    // Act
    const events = splitEvents(`[${deep}]`);

    // Assess
    expect(events).toEqual([{ position: "item 1", body: deep }]);
  });

  it.each([MAX_JSON_DEPTH + 1, 10_000])(
    "refuses an array nested %i levels deep, naming the limit",
    (depth) => {
      // Prepare
      const text = `${"[".repeat(depth)}${"]".repeat(depth)}`;

      // Act
      const split = () => splitEvents(text);

      // Assess
      expect(split).toThrow(UsageError);
      expect(split).toThrow(`the input nests arrays and objects over the ${MAX_JSON_DEPTH}-level limit`);
    },
  );
});
