import { describe, expect, it } from "vitest";
import { UsageError } from "../../cli/errors.ts";
import { splitEvents } from "../../cli/event-input.ts";

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
});
