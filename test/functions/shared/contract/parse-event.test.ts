import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, parseEventBody } from "../../../../functions/shared/contract/parse-event.ts";
import { aRawEvent, bodyOf, inSns, withChanges } from "../../../fixtures/events/factories.ts";

/** A valid event body padded with an unknown key to exactly `bytes` UTF-8 bytes. */
function bodyOfBytes(bytes: number, padding = " "): string {
  const empty = bodyOf(aRawEvent({ padding: "" }));
  const room = bytes - Buffer.byteLength(empty, "utf8");
  const unit = Buffer.byteLength(padding, "utf8");
  const body = bodyOf(aRawEvent({ padding: padding.repeat(Math.floor(room / unit)) }));
  return body.replace('"padding":"', `"padding":"${" ".repeat(room % unit)}`);
}

describe("body size", () => {
  it.each([
    { what: "exactly at the limit", bytes: MAX_BODY_BYTES, ok: true },
    { what: "one byte over the limit", bytes: MAX_BODY_BYTES + 1, ok: false },
  ])("a valid event $what -> ok $ok", ({ bytes, ok }) => {
    // Prepare
    const body = bodyOfBytes(bytes);

    // Act
    const result = parseEventBody(body);

    // Assess
    expect(Buffer.byteLength(body, "utf8")).toBe(bytes);
    expect(result.ok).toBe(ok);
  });

  it("counts UTF-8 bytes, not UTF-16 units", () => {
    // Prepare: emoji take 4 bytes but 2 units, so the text is short in units and long in bytes
    const body = bodyOfBytes(MAX_BODY_BYTES + 4, "😀");

    // Act
    const result = parseEventBody(body);

    // Assess
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(result).toMatchObject({ ok: false, reason: "invalid_message" });
  });

  it.each([
    { what: "a 5 MB valid-looking event", body: bodyOf(withChanges({ name: "x".repeat(5 * 1024 * 1024) })) },
    { what: "5 MB of broken JSON", body: `{"type": ${"[".repeat(5 * 1024 * 1024)}` },
    {
      what: "5 MB inside an SNS notification",
      body: bodyOf(inSns(withChanges({ name: "x".repeat(5_000_000) }))),
    },
  ])("refuses $what as invalid_message before parsing, without echoing it", ({ body }) => {
    // Act
    const result = parseEventBody(body);

    // Assess: invalid_message rather than invalid_json shows the size check ran before JSON.parse
    expect(result).toMatchObject({ ok: false, reason: "invalid_message", issues: [{ path: "" }] });
    if (result.ok) return;
    expect(result.detail).toBe(
      `body is ${Buffer.byteLength(body, "utf8")} bytes, over the ${MAX_BODY_BYTES}-byte limit`,
    );
  });
});

describe("check order: size, JSON, envelope, schema_version, type, schema", () => {
  it.each([
    {
      what: "unsupported version wins over unknown type and broken fields",
      body: bodyOf(aRawEvent({ schema_version: 2, type: "group.deleted", changes: null })),
      reason: "unsupported_schema_version",
    },
    {
      what: "unknown type wins over broken fields",
      body: bodyOf(aRawEvent({ type: "group.deleted", changes: null, group: {} })),
      reason: "unsupported_event_type",
    },
    {
      what: "a missing type wins over broken fields",
      body: bodyOf(aRawEvent({ type: undefined, changes: null })),
      reason: "invalid_message",
    },
    {
      what: "broken JSON inside SNS",
      body: bodyOf({ Type: "Notification", Message: "{" }),
      reason: "invalid_json",
    },
  ])("$what", ({ body, reason }) => {
    // Act
    const result = parseEventBody(body);

    // Assess
    expect(result).toMatchObject({ ok: false, reason });
  });

  it("reports every schema problem, first in field order", () => {
    // Prepare
    const body = bodyOf(aRawEvent({ event_id: "", group: { id: "grp_../x" }, changes: { name: " " } }));

    // Act
    const result = parseEventBody(body);

    // Assess
    expect(result).toMatchObject({
      ok: false,
      reason: "invalid_message",
      issues: [
        { path: "event_id", message: "must not be empty" },
        { path: "group.id", message: expect.stringMatching(/Vitable group id/) },
        { path: "changes.name", message: "must not be blank" },
      ],
    });
  });
});

describe("invalid JSON", () => {
  it.each(["", "{", "not json", "{'type': 'group.renamed'}", '{"a":1,}', "\u0000"])(
    "refuses %j as invalid_json with a one-line detail",
    (body) => {
      // Act
      const result = parseEventBody(body);

      // Assess
      expect(result).toMatchObject({ ok: false, reason: "invalid_json", issues: [{ path: "" }] });
      if (result.ok) return;
      expect(result.detail).toMatch(/^body is not valid JSON \(.+\)$/);
      expect(result.detail).not.toMatch(/\p{Cc}/u);
    },
  );

  it("does not echo a long invalid body", () => {
    // Prepare
    const body = `{"event_id": ${"SECRETISH".repeat(1_000)}`;

    // Act
    const result = parseEventBody(body);

    // Assess
    expect(result).toMatchObject({ ok: false, reason: "invalid_json" });
    if (result.ok) return;
    expect(result.detail.length).toBeLessThanOrEqual(160);
    expect(result.detail).not.toContain("SECRETISH".repeat(3));
  });
});
