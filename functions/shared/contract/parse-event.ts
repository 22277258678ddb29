import { truncateText } from "./code-points.ts";
import { isJsonObject, unwrapEnvelope } from "./envelope.ts";
import { EVENT_TYPE, GroupRenamedEventSchema, SCHEMA_VERSION } from "./group-renamed-event.ts";
import { kindOf, toContractIssues } from "./issues.ts";
import { readJsonText } from "./json-text.ts";
import { type ContractFailure, contractFailure, type Envelope, type ParseResult } from "./parse-result.ts";

export { MAX_BODY_BYTES } from "./json-text.ts";

/** Where the event sits inside each envelope, to locate "not an object" failures. */
const EVENT_PATH: Record<Envelope, string> = {
  raw: "",
  sns: "Message",
  eventbridge: "detail",
  cloudevents: "data",
};

/** Shown only if a non-JSON value (a Proxy, a throwing getter) slipped in; tests assert JSON never reaches it. */
export const UNINSPECTABLE_MESSAGE = "could not be inspected as JSON data";

function checkSchemaVersion(version: unknown): ContractFailure | undefined {
  if (version === undefined || version === SCHEMA_VERSION) return undefined;
  if (typeof version !== "number") {
    return contractFailure("invalid_message", [
      { path: "schema_version", message: `expected the integer ${SCHEMA_VERSION} (got ${kindOf(version)})` },
    ]);
  }
  return contractFailure("unsupported_schema_version", [
    {
      path: "schema_version",
      message: `${version} is not supported (this consumer reads ${SCHEMA_VERSION})`,
    },
  ]);
}

function checkEventType(type: unknown): ContractFailure | undefined {
  if (type === EVENT_TYPE) return undefined;
  if (type === undefined)
    return contractFailure("invalid_message", [{ path: "type", message: "is required" }]);
  if (typeof type !== "string") {
    return contractFailure("invalid_message", [
      { path: "type", message: `expected a string (got ${kindOf(type)})` },
    ]);
  }
  const shown = JSON.stringify(truncateText(type, 64));
  return contractFailure("unsupported_event_type", [
    { path: "type", message: `${shown} is not supported (expected "${EVENT_TYPE}")` },
  ]);
}

function parseUnwrapped(value: unknown): ParseResult {
  const unwrapped = unwrapEnvelope(value);
  if (!unwrapped.ok) return unwrapped;
  const { envelope, event, cloudEvent } = unwrapped;
  if (!isJsonObject(event)) {
    return contractFailure("invalid_message", [
      { path: EVENT_PATH[envelope], message: `expected the event as a JSON object (got ${kindOf(event)})` },
    ]);
  }
  const refusal = checkSchemaVersion(event.schema_version) ?? checkEventType(event.type);
  if (refusal) return refusal;
  const parsed = GroupRenamedEventSchema.safeParse(event, { reportInput: true });
  if (!parsed.success) return contractFailure("invalid_message", toContractIssues(parsed.error.issues));
  return { ok: true, event: parsed.data, envelope, ...(cloudEvent ? { cloudEvent } : {}) };
}

/**
 * Validates an already-parsed message (a webhook array element, a CLI argument): unwraps an envelope, then checks
 * schema_version, type and the schema, in that order. Never throws.
 */
export function parseEventValue(value: unknown): ParseResult {
  try {
    return parseUnwrapped(value);
  } catch {
    return contractFailure("invalid_message", [{ path: "", message: UNINSPECTABLE_MESSAGE }]);
  }
}

/** Validates an SQS message body: size, then JSON, then as parseEventValue. Never throws, whatever the string. */
export function parseEventBody(body: string): ParseResult {
  if (typeof body !== "string") {
    return contractFailure("invalid_message", [
      { path: "", message: `body must be a string (got ${kindOf(body)})` },
    ]);
  }
  const json = readJsonText(body, "", "body");
  return json.ok ? parseEventValue(json.value) : json;
}
