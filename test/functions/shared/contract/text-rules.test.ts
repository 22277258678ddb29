import { describe, expect, it } from "vitest";
import { parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";
import {
  aRawEvent,
  ENVELOPES,
  textOfCodePoints,
  withChanges,
  withGroup,
} from "../../../fixtures/events/factories.ts";
import { type Expectation, expectOutcome } from "./expect-outcome.ts";

const EMOJI = "😀";
const E_ACUTE = "e\u0301"; // two code points that render as one letter

describe("changes.name length counts code points", () => {
  const cases = [
    { what: "255 emoji", name: textOfCodePoints(EMOJI, 255), expected: { ok: true } },
    {
      what: "256 emoji",
      name: textOfCodePoints(EMOJI, 256),
      expected: { ok: false, path: "changes.name", message: /^must be at most 255 characters \(got 256\)$/ },
    },
    {
      what: "255 code points of e + combining acute",
      name: textOfCodePoints(E_ACUTE, 255),
      expected: { ok: true },
    },
    {
      what: "256 code points of e + combining acute",
      name: textOfCodePoints(E_ACUTE, 256),
      expected: { ok: false, path: "changes.name", message: /at most 255 characters \(got 256\)/ },
    },
    { what: "255 ASCII letters", name: "a".repeat(255), expected: { ok: true } },
    {
      what: "256 ASCII letters",
      name: "a".repeat(256),
      expected: { ok: false, path: "changes.name", message: /got 256/ },
    },
    { what: "1 emoji", name: EMOJI, expected: { ok: true } },
    {
      what: "empty",
      name: "",
      expected: { ok: false, path: "changes.name", message: /must not be empty/ },
    },
  ] satisfies { what: string; name: string; expected: Expectation }[];

  it.each(cases)("$what", ({ name, expected }) => {
    // Prepare
    const event = withChanges({ name });

    // Act + Assess
    expectOutcome(event, expected);
  });

  it("accepts 255 emoji in every text field, in every envelope", () => {
    // Prepare
    const long = textOfCodePoints(EMOJI, 255);
    const event = aRawEvent({
      event_id: long,
      group: { external_reference_id: long },
      changes: { name: long, external_reference_id: long },
      source: long,
    });

    for (const { envelope, wrap } of ENVELOPES) {
      // Act
      const result = parseEventValue(wrap(event));

      // Assess
      expect(result).toMatchObject({ ok: true, envelope, event: { event_id: long, source: long } });
    }
  });

  it.each(["event_id", "source"])("rejects 256 code points in %s", (field) => {
    // Prepare
    const event = aRawEvent({ [field]: textOfCodePoints(EMOJI, 256) });

    // Act + Assess
    expectOutcome(event, { ok: false, path: field, message: /at most 255 characters \(got 256\)/ });
  });

  it.each([
    { field: "group.external_reference_id", event: withGroup({ external_reference_id: "x".repeat(256) }) },
    {
      field: "changes.external_reference_id",
      event: withChanges({ external_reference_id: "x".repeat(256) }),
    },
  ])("rejects 256 characters in $field", ({ field, event }) => {
    expectOutcome(event, { ok: false, path: field, message: /got 256/ });
  });
});

describe("changes.name characters", () => {
  const rejected = [
    { what: "NUL", name: "Tier\u00001", message: /control characters/ },
    { what: "BEL", name: "Tier\u00071", message: /control characters/ },
    { what: "DEL", name: "Tier\u007f1", message: /control characters/ },
    { what: "NEL (C1)", name: "Tier\u00851", message: /control characters/ },
    { what: "newline", name: "Tier\n1", message: /control characters/ },
    { what: "a single space", name: " ", message: /must not be blank/ },
    { what: "tabs and spaces", name: " \t  ", message: /must not be blank/ },
    { what: "no-break and ideographic spaces", name: "\u00a0\u3000", message: /must not be blank/ },
    { what: "a lone surrogate", name: "Tier \ud83d", message: /well-formed Unicode/ },
  ];

  it.each(rejected)("rejects a name with $what", ({ name, message }) => {
    expectOutcome(withChanges({ name }), { ok: false, path: "changes.name", message });
  });

  it.each([
    { what: "inner spaces", name: "Tier 1 (renamed)" },
    { what: "leading and trailing spaces", name: "  Tier 1  " },
    { what: "zero-width joiner emoji", name: "👩‍💻 Engineers" },
    { what: "right-to-left text", name: "فريق المبيعات" },
  ])("accepts a name with $what, unchanged", ({ name }) => {
    // Act
    const result = parseEventValue(withChanges({ name }));

    // Assess
    expect(result).toMatchObject({ ok: true, event: { changes: { name } } });
  });
});
