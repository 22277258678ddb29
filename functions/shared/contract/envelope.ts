import { looksLikeCloudEvent, unwrapCloudEvent } from "./cloud-event-envelope.ts";
import type { JsonTextResult } from "./json-text.ts";
import { isJsonObject, readJsonText } from "./json-text.ts";
import { contractFailure, type UnwrapResult } from "./parse-result.ts";

export { isJsonObject } from "./json-text.ts";
export type { UnwrapResult } from "./parse-result.ts";

type JsonObject = Record<string, unknown>;

/**
 * Our own events always carry these keys; neither SNS nor EventBridge envelopes ever do, so their presence settles
 * the question. A CloudEvents envelope has a `type` too, so it is recognised first (by `specversion`).
 */
function looksLikeRawEvent(value: JsonObject): boolean {
  return Object.hasOwn(value, "type") || Object.hasOwn(value, "event_id");
}

/** SNS to SQS without raw message delivery: the event travels as JSON text in `Message`. */
function looksLikeSns(value: JsonObject): boolean {
  return value.Type === "Notification" && Object.hasOwn(value, "Message");
}

/** An EventBridge event (e.g. a rule targeting the queue): the event is the `detail` object. */
function looksLikeEventBridge(value: JsonObject): boolean {
  return value.version === "0" && typeof value["detail-type"] === "string" && Object.hasOwn(value, "detail");
}

function unwrapSns(message: unknown): UnwrapResult {
  if (typeof message !== "string") {
    return contractFailure("invalid_message", [
      { path: "Message", message: "SNS Message must be a string holding the event as JSON" },
    ]);
  }
  const parsed: JsonTextResult = readJsonText(message, "Message", "SNS Message");
  return parsed.ok ? { ok: true, envelope: "sns", event: parsed.value } : parsed;
}

/**
 * Finds the event inside whatever the queue delivered: the event itself, an SNS notification, an EventBridge
 * event or a CloudEvents 1.0 structured-mode envelope. Only one level is unwrapped. Anything that is not one of
 * the envelopes is taken as a raw event and left for the schema to judge.
 */
export function unwrapEnvelope(value: unknown): UnwrapResult {
  if (!isJsonObject(value)) return { ok: true, envelope: "raw", event: value };
  if (looksLikeCloudEvent(value)) return unwrapCloudEvent(value);
  if (looksLikeRawEvent(value)) return { ok: true, envelope: "raw", event: value };
  if (looksLikeSns(value)) return unwrapSns(value.Message);
  if (looksLikeEventBridge(value)) return { ok: true, envelope: "eventbridge", event: value.detail };
  return { ok: true, envelope: "raw", event: value };
}
