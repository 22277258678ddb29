import { describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_REQUEST, parseEventBatch } from "../../../functions/webhook-ingest/parse-batch.ts";
import { aRawEvent, type JsonObject } from "../../fixtures/events/factories.ts";

function events(count: number): JsonObject[] {
  return Array.from({ length: count }, (_, i) => aRawEvent({ event_id: `hr-evt-${i}` }));
}

describe("parseEventBatch", () => {
  it.each([
    { title: "one event", body: aRawEvent(), count: 1 },
    { title: "an array of one", body: [aRawEvent()], count: 1 },
    { title: "the largest array", body: events(MAX_EVENTS_PER_REQUEST), count: MAX_EVENTS_PER_REQUEST },
  ])("accepts $title", ({ body, count }) => {
    // Act
    const result = parseEventBatch(JSON.stringify(body));

    // Assess
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.events.map((e) => e.index)).toEqual([...Array(count).keys()]);
  });

  it("refuses more than the array limit before checking any event", () => {
    // Act
    const result = parseEventBatch(JSON.stringify([...events(MAX_EVENTS_PER_REQUEST), "not an event"]));

    // Assess
    expect(result).toEqual({ ok: false, problem: "too_many_events", count: MAX_EVENTS_PER_REQUEST + 1 });
  });

  it.each([
    { title: "an empty array", text: "[]", message: "the array holds no events" },
    { title: "text that is not JSON", text: "{nope", message: "body is not valid JSON" },
    { title: "an empty body", text: "", message: "body is not valid JSON" },
  ])("refuses $title as a whole", ({ text, message }) => {
    // Act
    const result = parseEventBatch(text);

    // Assess
    expect(result).toEqual({ ok: false, problem: "body", issues: [{ path: "", message }] });
  });

  it("lists every invalid event by index with its field errors, and refuses the whole batch", () => {
    // Prepare
    const body = [
      aRawEvent({ event_id: "ok-0" }),
      aRawEvent({ event_id: "bad-1", changes: { name: "" } }),
      aRawEvent({ event_id: "ok-2" }),
      aRawEvent({ event_id: "bad-3", type: "group.deleted" }),
      42,
    ];

    // Act
    const result = parseEventBatch(JSON.stringify(body));

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok || result.problem !== "events") throw new Error("expected per-event problems");
    expect(result.total).toBe(5);
    expect(result.rejected.map(({ index, eventId, reason }) => ({ index, eventId, reason }))).toEqual([
      { index: 1, eventId: "bad-1", reason: "invalid_message" },
      { index: 3, eventId: "bad-3", reason: "unsupported_event_type" },
      { index: 4, eventId: undefined, reason: "invalid_message" },
    ]);
    expect(result.rejected[0]?.issues).toEqual([{ path: "changes.name", message: expect.any(String) }]);
  });

  it("queues each element as sent, envelope and unknown keys included", () => {
    // Prepare
    const inner = aRawEvent({ event_id: "in-sns", vendor_extra: { kept: true } });
    const sns = { Type: "Notification", Message: JSON.stringify(inner) };

    // Act
    const result = parseEventBatch(JSON.stringify([inner, sns]));

    // Assess
    if (!result.ok) throw new Error("expected success");
    expect(result.events.map((e) => JSON.parse(e.messageBody))).toEqual([inner, sns]);
    expect(result.events.map((e) => e.event.event_id)).toEqual(["in-sns", "in-sns"]);
  });

  it("escapes U+FFFE and U+FFFF, which SQS refuses, without changing the text", () => {
    // Prepare
    const event = aRawEvent({ changes: { external_reference_id: "ref\uFFFE\uFFFF" } });

    // Act
    const result = parseEventBatch(JSON.stringify(event));

    // Assess
    if (!result.ok) throw new Error("expected success");
    const body = result.events[0]?.messageBody ?? "";
    expect(body).not.toMatch(/[\uFFFE\uFFFF]/);
    expect(body).toContain("\\ufffe\\uffff");
    expect(JSON.parse(body)).toEqual(event);
  });
});
