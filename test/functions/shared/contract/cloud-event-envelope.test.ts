import { CloudEvent, HTTP } from "cloudevents";
import { describe, expect, it } from "vitest";
import { cloudEventLogFields } from "../../../../functions/shared/contract/cloud-event-log-fields.ts";
import { parseEventBody, parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";
import {
  aRawEvent,
  CLOUDEVENT_TYPE,
  inCloudEvent,
  inCloudEventBase64,
  type JsonObject,
} from "../../../fixtures/events/factories.ts";

const event = aRawEvent();
const parsedEvent = { ...event };
const attributes = { type: CLOUDEVENT_TYPE, id: "ce-000123", source: "/hr/workday" };

/** A producer's envelope with one key replaced, or removed (undefined): a broken producer. */
function broken(envelope: JsonObject, changes: JsonObject): JsonObject {
  const copy: JsonObject = { ...envelope, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete copy[key];
  return copy;
}

describe("CloudEvents 1.0 structured-mode envelopes", () => {
  it.each([
    { what: "the event in data", value: inCloudEvent(event) },
    { what: "the event as JSON in data_base64", value: inCloudEventBase64(event) },
    {
      what: "a +json datacontenttype with a charset",
      value: inCloudEvent(event, { datacontenttype: "application/vnd.hr.group+json; charset=utf-8" }),
    },
    {
      what: "extension attributes and a subject",
      value: inCloudEvent(event, { subject: "grp_abc123def456", tenant: "acme" }),
    },
  ])("takes $what, keeping the type, id and source for the logs", ({ value }) => {
    // Act
    const result = parseEventValue(value);

    // Assess
    expect(result).toEqual({ ok: true, envelope: "cloudevents", event: parsedEvent, cloudEvent: attributes });
  });

  it("reads the exact body the SDK's HTTP structured mode produces", () => {
    // Prepare
    const message = HTTP.structured(
      new CloudEvent({ type: "hr.group.renamed", source: "urn:hr:workday", id: "ce-7", data: event }),
    );

    // Act
    const result = parseEventBody(message.body as string);

    // Assess
    expect(message.headers["content-type"]).toMatch(/^application\/cloudevents\+json/);
    expect(result).toMatchObject({
      ok: true,
      envelope: "cloudevents",
      cloudEvent: { type: "hr.group.renamed", id: "ce-7", source: "urn:hr:workday" },
      event: parsedEvent,
    });
  });

  it("leaves our own event raw when it merely carries a specversion key (event_id is no CloudEvents attribute)", () => {
    // Prepare
    const value = aRawEvent({ specversion: "1.0", id: "x", data: {} });

    // Act
    const result = parseEventValue(value);

    // Assess
    expect(result).toMatchObject({ ok: true, envelope: "raw", event: { event_id: event.event_id } });
  });

  it.each([
    { what: "specversion 0.3", changes: { specversion: "0.3" }, detail: 'specversion: must be "1.0"' },
    { what: "specversion as a number", changes: { specversion: 1 }, detail: 'specversion: must be "1.0"' },
    { what: "no type", changes: { type: undefined }, detail: "type: is required" },
    { what: "an empty type", changes: { type: "" }, detail: "type: must not be empty" },
    { what: "a type that is a number", changes: { type: 7 }, detail: "type: expected a string (got number)" },
    { what: "no id", changes: { id: undefined }, detail: "id: is required" },
    { what: "an empty source", changes: { source: "" }, detail: "source: must not be empty" },
    {
      what: "a text datacontenttype",
      changes: { datacontenttype: "text/plain" },
      detail:
        "datacontenttype: must be a JSON media type such as application/json (the event is read as JSON)",
    },
    {
      what: "no data at all",
      changes: { data: undefined },
      detail: "data: is required: the event as a JSON object, or data_base64 holding it as JSON",
    },
    {
      what: "data and data_base64 together",
      changes: { data_base64: "e30=" },
      detail: "data_base64: must not be given together with data",
    },
    {
      what: "data that is the event as a string",
      changes: { data: JSON.stringify(event) },
      detail: "data: expected the event as a JSON object (got string)",
    },
    {
      what: "data null",
      changes: { data: null },
      detail: "data: expected the event as a JSON object (got null)",
    },
  ])("refuses an envelope with $what as invalid_message naming the field", ({ changes, detail }) => {
    // Prepare
    const value = broken(inCloudEvent(event), changes);

    // Act
    const result = parseEventValue(value);

    // Assess
    expect(result).toMatchObject({ ok: false, reason: "invalid_message", detail });
  });

  it.each([
    {
      what: "data_base64 that is not base64",
      data_base64: "not base64!",
      reason: "invalid_message",
      detail: /^data_base64: must be standard base64/,
    },
    {
      what: "data_base64 holding bytes that are not UTF-8",
      data_base64: Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString("base64"),
      reason: "invalid_message",
      detail: /^data_base64: must hold UTF-8 text/,
    },
    {
      what: "data_base64 holding text that is not JSON",
      data_base64: Buffer.from("{nope").toString("base64"),
      reason: "invalid_json",
      detail: /^data_base64: the decoded data_base64 is not valid JSON/,
    },
    {
      what: "data_base64 holding a JSON array",
      data_base64: Buffer.from(JSON.stringify([event])).toString("base64"),
      reason: "invalid_message",
      detail: /^data_base64: expected the event as a JSON object \(got array\)$/,
    },
  ])("refuses $what, naming data_base64", ({ data_base64, reason, detail }) => {
    // Prepare
    const value = broken(inCloudEventBase64(event), { data_base64 });

    // Act
    const result = parseEventValue(value);

    // Assess
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.detail).toMatch(detail);
  });

  it("judges the event inside like any other: a bad field is named, an unknown type is unsupported", () => {
    // Act
    const missing = parseEventValue(inCloudEvent(aRawEvent({ occurred_at: undefined })));
    const otherType = parseEventValue(inCloudEventBase64(aRawEvent({ type: "group.deleted" })));

    // Assess
    expect(missing).toMatchObject({
      ok: false,
      reason: "invalid_message",
      detail: "occurred_at: is required",
    });
    expect(otherType).toMatchObject({ ok: false, reason: "unsupported_event_type" });
  });
});

describe("cloudEventLogFields", () => {
  it("names the attributes and cuts long ones to a log-sized length", () => {
    // Act
    const fields = cloudEventLogFields({ type: "t".repeat(1000), id: "ce-1", source: "/s" });

    // Assess
    expect(fields).toEqual({
      cloudevent_type: `${"t".repeat(127)}…`,
      cloudevent_id: "ce-1",
      cloudevent_source: "/s",
    });
    expect(cloudEventLogFields(undefined)).toEqual({});
  });
});
