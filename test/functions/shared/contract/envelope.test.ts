import { describe, expect, it } from "vitest";
import { unwrapEnvelope } from "../../../../functions/shared/contract/envelope.ts";
import { parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";
import {
  aRawEvent,
  CLOUDEVENT_TYPE,
  inCloudEvent,
  inEventBridge,
  inSns,
  inSnsText,
} from "../../../fixtures/events/factories.ts";

describe("unwrapEnvelope", () => {
  const event = aRawEvent();

  it.each([
    { what: "a raw event", value: event, envelope: "raw", inner: event },
    { what: "an SNS notification", value: inSns(event), envelope: "sns", inner: event },
    { what: "an EventBridge event", value: inEventBridge(event), envelope: "eventbridge", inner: event },
    {
      what: "a raw event that also carries SNS-looking keys",
      value: { ...event, Type: "Notification", Message: "{}" },
      envelope: "raw",
      inner: { ...event, Type: "Notification", Message: "{}" },
    },
    {
      what: "a raw event that also carries EventBridge-looking keys",
      value: { ...event, version: "0", "detail-type": "x", detail: {} },
      envelope: "raw",
      inner: { ...event, version: "0", "detail-type": "x", detail: {} },
    },
    {
      what: "an event_id-only object with SNS keys",
      value: { event_id: "e1", Type: "Notification", Message: "{}" },
      envelope: "raw",
      inner: { event_id: "e1", Type: "Notification", Message: "{}" },
    },
    {
      what: "an SNS message of another Type",
      value: { Type: "SubscriptionConfirmation", Message: "{}" },
      envelope: "raw",
      inner: { Type: "SubscriptionConfirmation", Message: "{}" },
    },
    {
      what: "an EventBridge-like object with version 1",
      value: { version: "1", "detail-type": "x", detail: event },
      envelope: "raw",
      inner: { version: "1", "detail-type": "x", detail: event },
    },
    {
      what: "an EventBridge-like object without detail-type",
      value: { version: "0", detail: event },
      envelope: "raw",
      inner: { version: "0", detail: event },
    },
    {
      what: "a raw event that also carries a specversion key",
      value: { ...event, specversion: "1.0" },
      envelope: "raw",
      inner: { ...event, specversion: "1.0" },
    },
    { what: "an array", value: [event], envelope: "raw", inner: [event] },
    { what: "null", value: null, envelope: "raw", inner: null },
  ])("takes $what as $envelope", ({ value, envelope, inner }) => {
    // Act
    const result = unwrapEnvelope(value);

    // Assess
    expect(result).toEqual({ ok: true, envelope, event: inner });
  });

  it("takes a CloudEvents envelope as cloudevents, with its context attributes", () => {
    // Act
    const result = unwrapEnvelope(inCloudEvent(event));

    // Assess
    expect(result).toEqual({
      ok: true,
      envelope: "cloudevents",
      event,
      cloudEvent: { type: CLOUDEVENT_TYPE, id: "ce-000123", source: "/hr/workday" },
    });
  });

  it.each([
    { what: "inner text that is not JSON", value: inSnsText('{"type":'), reason: "invalid_json" },
    { what: "empty inner text", value: inSnsText(""), reason: "invalid_json" },
    {
      what: "a Message that is an object",
      value: { ...inSns(event), Message: event },
      reason: "invalid_message",
    },
    { what: "a Message that is null", value: { ...inSns(event), Message: null }, reason: "invalid_message" },
  ])("refuses an SNS notification with $what", ({ value, reason }) => {
    // Act
    const result = unwrapEnvelope(value);

    // Assess
    expect(result).toMatchObject({ ok: false, reason, issues: [{ path: "Message" }] });
  });

  it("refuses an SNS Message larger than a message body may be", () => {
    // Prepare
    const value = inSnsText(" ".repeat(300_000));

    // Act
    const result = unwrapEnvelope(value);

    // Assess
    expect(result).toMatchObject({ ok: false, reason: "invalid_message", issues: [{ path: "Message" }] });
  });

  it("unwraps one level only: SNS carrying an EventBridge event is not read through", () => {
    // Act
    const result = parseEventValue(inSns(inEventBridge(event)));

    // Assess
    expect(result).toMatchObject({ ok: false, reason: "invalid_message", issues: [{ path: "type" }] });
  });
});

describe("the event inside an envelope must be an object", () => {
  it.each([
    {
      what: "EventBridge detail as a string",
      value: inEventBridge(JSON.stringify(aRawEvent())),
      path: "detail",
    },
    { what: "EventBridge detail null", value: inEventBridge(null), path: "detail" },
    { what: "SNS Message holding an array", value: inSns([aRawEvent()]), path: "Message" },
    { what: "SNS Message holding a number", value: inSnsText("42"), path: "Message" },
    { what: "a raw array", value: [aRawEvent()], path: "" },
  ])("refuses $what", ({ value, path }) => {
    // Act
    const result = parseEventValue(value);

    // Assess
    expect(result).toMatchObject({ ok: false, reason: "invalid_message", issues: [{ path }] });
    if (!result.ok) expect(result.detail).toMatch(/expected the event as a JSON object \(got \w+\)/);
  });
});
