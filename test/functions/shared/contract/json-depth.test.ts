import { describe, expect, it } from "vitest";
import { parseEventBody } from "../../../../functions/shared/contract/index.ts";
import { jsonDepthIssue, MAX_JSON_DEPTH } from "../../../../functions/shared/contract/json-depth.ts";
import { aRawEvent, bodyOf, inEventBridge, inSnsText } from "../../../fixtures/events/factories.ts";

/** `levels` arrays nested in each other: `[[…]]`. */
const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

/** A valid event whose unknown key holds arrays nested so that the whole body is `depth` levels deep. */
function eventOfDepth(depth: number): string {
  return bodyOf(aRawEvent()).replace(/}$/, `,"extra":${nested(depth - 1)}}`);
}

const LIMIT_MESSAGE = `body nests arrays and objects over the ${MAX_JSON_DEPTH}-level limit`;

describe("jsonDepthIssue", () => {
  it.each([
    { title: "a scalar", text: '"x"', issue: false },
    { title: "exactly the limit", text: nested(MAX_JSON_DEPTH), issue: false },
    { title: "one level over", text: nested(MAX_JSON_DEPTH + 1), issue: true },
    {
      title: "objects one level over",
      text: `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}`,
      issue: true,
    },
    { title: "brackets inside a string", text: JSON.stringify({ a: "[".repeat(500) }), issue: false },
    {
      title: "escaped quotes before brackets in a string",
      text: JSON.stringify({ a: `\\"${"{".repeat(500)}` }),
      issue: false,
    },
    {
      title: "siblings at the limit",
      text: `[${nested(MAX_JSON_DEPTH - 1)},${nested(MAX_JSON_DEPTH - 1)}]`,
      issue: false,
    },
  ])("judges $title", ({ text, issue }) => {
    // Act
    const result = jsonDepthIssue(text, "", "body");

    // Assess
    expect(result).toEqual(issue ? { path: "", message: LIMIT_MESSAGE } : undefined);
  });
});

describe("parseEventBody and nesting depth", () => {
  it("accepts an event nested exactly to the limit", () => {
    // Act
    const result = parseEventBody(eventOfDepth(MAX_JSON_DEPTH));

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([MAX_JSON_DEPTH + 1, 4_100, 130_000])(
    "refuses an event %i levels deep as invalid_message naming the limit, without throwing",
    (depth) => {
      // Act
      const result = parseEventBody(eventOfDepth(depth));

      // Assess
      expect(result).toMatchObject({ ok: false, reason: "invalid_message", detail: LIMIT_MESSAGE });
    },
  );

  it("counts the envelope's levels in the body", () => {
    // Prepare: the event at the limit, wrapped in EventBridge, is one level deeper.
    const event = JSON.parse(eventOfDepth(MAX_JSON_DEPTH));

    // Act
    const result = parseEventBody(bodyOf(inEventBridge(event)));

    // Assess
    expect(result).toMatchObject({ ok: false, detail: LIMIT_MESSAGE });
  });

  it("checks the event inside an SNS notification on its own", () => {
    // Act
    const atLimit = parseEventBody(bodyOf(inSnsText(eventOfDepth(MAX_JSON_DEPTH))));
    const over = parseEventBody(bodyOf(inSnsText(eventOfDepth(MAX_JSON_DEPTH + 1))));

    // Assess
    expect(atLimit.ok).toBe(true);
    expect(over).toMatchObject({
      ok: false,
      reason: "invalid_message",
      issues: [
        { path: "Message", message: expect.stringContaining(`over the ${MAX_JSON_DEPTH}-level limit`) },
      ],
    });
  });
});
