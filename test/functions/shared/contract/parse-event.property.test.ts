import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_BODY_BYTES,
  parseEventBody,
  parseEventValue,
  UNINSPECTABLE_MESSAGE,
} from "../../../../functions/shared/contract/parse-event.ts";
import type { ParseResult } from "../../../../functions/shared/contract/parse-result.ts";
import {
  aRawEvent,
  ENVELOPES as ENVELOPE_WRAPPERS,
  inCloudEvent,
  inCloudEventBase64,
  inEventBridge,
  inSns,
} from "../../../fixtures/events/factories.ts";

const REASONS = ["invalid_json", "invalid_message", "unsupported_schema_version", "unsupported_event_type"];
const ENVELOPES = ["raw", "sns", "eventbridge", "cloudevents"];

/** Exactly one well-formed ParseResult: a parsed event, or a failure with a reason, a short detail and issues. */
function expectOneResult(result: ParseResult): void {
  if (result.ok) {
    const keys =
      result.envelope === "cloudevents"
        ? ["cloudEvent", "envelope", "event", "ok"]
        : ["envelope", "event", "ok"];
    expect(Object.keys(result).sort()).toEqual(keys);
    expect(ENVELOPES).toContain(result.envelope);
    expect(parseEventValue(result.event)).toEqual({ ok: true, envelope: "raw", event: result.event });
    return;
  }
  expect(Object.keys(result).sort()).toEqual(["detail", "issues", "ok", "reason"]);
  expect(REASONS).toContain(result.reason);
  expect(result.detail.length).toBeGreaterThan(0);
  expect(result.detail.length).toBeLessThanOrEqual(256);
  expect(result.detail).not.toMatch(/[\n\r]/);
  expect(result.issues.length).toBeGreaterThan(0);
  expect(result.issues.map((issue) => issue.message)).not.toContain(UNINSPECTABLE_MESSAGE);
}

/** Lone surrogates too, which "binary" never produces. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: "binary" });

/** A valid event with one field replaced by arbitrary JSON, so generated values reach the deep checks. */
const nearlyValidEvent = fc
  .tuple(
    fc.constantFrom(
      "schema_version",
      "type",
      "event_id",
      "occurred_at",
      "group",
      "changes",
      "source",
      "extra",
    ),
    anyJson,
    fc.constantFrom("group", "changes"),
    fc.constantFrom("id", "name", "external_reference_id"),
    anyJson,
  )
  .map(([field, value, parent, child, childValue]) => {
    const event = aRawEvent({ [field]: value });
    if (field !== parent) event[parent] = { ...(aRawEvent()[parent] as object), [child]: childValue };
    return event;
  });

const wrapped = (inner: fc.Arbitrary<unknown>) =>
  fc.oneof(
    inner,
    inner.map((value) => inSns(value)),
    inner.map((value) => inEventBridge(value)),
    inner.map((value) => inCloudEvent(value)),
    inner.map((value) => inCloudEventBase64(value)),
  );

describe("parseEventBody never throws and returns exactly one result", () => {
  it.each([
    { what: "any string of code points", strings: fc.string({ unit: "binary", maxLength: 300 }) },
    { what: "any string of UTF-16 units", strings: fc.string({ unit: utf16Unit, maxLength: 300 }) },
    { what: "any graphemes", strings: fc.string({ unit: "grapheme", maxLength: 100 }) },
    { what: "any JSON text", strings: fc.json({ maxDepth: 4, stringUnit: "binary" }) },
    { what: "any JSON in an envelope", strings: wrapped(anyJson).map((value) => JSON.stringify(value)) },
    { what: "nearly valid events", strings: wrapped(nearlyValidEvent).map((value) => JSON.stringify(value)) },
  ])("for $what", ({ strings }) => {
    fc.assert(
      fc.property(strings, (body) => {
        expectOneResult(parseEventBody(body));
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseEventValue", () => {
  it("agrees with parseEventBody on the JSON text of the same value", () => {
    fc.assert(
      fc.property(wrapped(fc.oneof(anyJson, nearlyValidEvent)), (value) => {
        // Prepare
        const body = JSON.stringify(value);
        fc.pre(Buffer.byteLength(body, "utf8") <= MAX_BODY_BYTES);

        // Act
        const fromValue = parseEventValue(value);

        // Assess
        expectOneResult(fromValue);
        expect(parseEventBody(body)).toEqual(fromValue);
      }),
      { numRuns: 300 },
    );
  });

  it("returns a failure, not an exception, for values JSON cannot produce", () => {
    // Prepare
    const throwing = new Proxy(
      {},
      {
        has: () => {
          throw new Error("trap");
        },
        get: () => {
          throw new Error("trap");
        },
      },
    );

    // Act
    const result = parseEventValue(throwing);

    // Assess
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid_message",
      issues: [{ message: UNINSPECTABLE_MESSAGE }],
    });
  });
});

describe("valid events parse in every envelope", () => {
  const text = (unit: fc.Arbitrary<string>, maxLength: number) =>
    fc.string({ unit, minLength: 1, maxLength });
  const letters = fc.constantFrom("a", "Z", "7", "é", "😀", "e\u0301", "東", "-", "_");
  const name = fc
    .tuple(text(letters, 100), fc.constantFrom("", " ", "  "), fc.constantFrom("", " "))
    .map(([core, before, after]) => `${before}${core}${after}`);
  const validEvent = fc.record(
    {
      schema_version: fc.constant(1),
      type: fc.constant("group.renamed"),
      event_id: text(letters, 255),
      occurred_at: fc
        .date({
          min: new Date("1970-01-01T00:00:00Z"),
          max: new Date("2100-01-01T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString()),
      group: fc.oneof(
        fc.record({ id: fc.stringMatching(/^grp_[A-Za-z0-9_+-]{1,40}$/) }),
        fc.record({ external_reference_id: text(letters, 255) }),
      ),
      changes: fc
        .record({ name, external_reference_id: text(letters, 255) }, { requiredKeys: [] })
        .filter((changes) => Object.keys(changes).length > 0),
      source: text(letters, 255),
    },
    { requiredKeys: ["type", "event_id", "occurred_at", "group", "changes"] },
  );

  it("keeps every field as sent", () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom(...ENVELOPE_WRAPPERS), (event, { envelope, wrap }) => {
        // Prepare
        const value = wrap(event);

        // Act
        const result = parseEventBody(JSON.stringify(value));

        // Assess
        expect(result).toMatchObject({ ok: true, envelope, event: { schema_version: 1, ...event } });
        if (result.ok) expect(result.event).toEqual({ schema_version: 1, ...event });
      }),
      { numRuns: 200 },
    );
  });
});
