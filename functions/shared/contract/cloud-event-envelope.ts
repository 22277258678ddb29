import * as z from "zod/mini";
import { kindOf, toContractIssues } from "./issues.ts";
import { isJsonObject, readJsonText } from "./json-text.ts";
import { type ContractFailure, contractFailure, type UnwrapResult } from "./parse-result.ts";

export const CLOUDEVENTS_SPEC_VERSION = "1.0";

const nonEmpty = z.string().check(z.minLength(1, { error: "must not be empty" }));

/** `application/json` or any `+json` type, parameters aside: the event inside is read as JSON either way. */
const JSON_MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/(?:[a-z0-9!#$&^_.+-]+\+)?json$/;

/**
 * The CloudEvents 1.0 structured-mode JSON attributes we read. Other attributes (time, subject, extensions)
 * are allowed and ignored, as the specification asks of consumers.
 */
const CloudEventEnvelopeSchema = z.object({
  specversion: z.literal(CLOUDEVENTS_SPEC_VERSION),
  type: nonEmpty,
  id: nonEmpty,
  source: nonEmpty,
  datacontenttype: z.optional(
    z.string().check(
      z.refine((value: string) => JSON_MEDIA_TYPE.test(value.split(";")[0]?.trim().toLowerCase() ?? ""), {
        error: "must be a JSON media type such as application/json (the event is read as JSON)",
      }),
    ),
  ),
  data_base64: z.optional(z.string()),
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A CloudEvents attribute name is lowercase letters and digits only, so an `event_id` key is never one: an object
 * with it is our own event that happens to carry a `specversion` key.
 */
export function looksLikeCloudEvent(value: Record<string, unknown>): boolean {
  return Object.hasOwn(value, "specversion") && !Object.hasOwn(value, "event_id");
}

function failure(path: string, message: string): ContractFailure {
  return contractFailure("invalid_message", [{ path, message }]);
}

function decodeDataBase64(encoded: string): { ok: true; value: unknown } | ContractFailure {
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    return failure("data_base64", "must be standard base64 (with padding)");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(encoded, "base64"));
  } catch {
    return failure("data_base64", "must hold UTF-8 text (the event as JSON)");
  }
  const parsed = readJsonText(text, "data_base64", "the decoded data_base64");
  if (!parsed.ok) return parsed;
  if (!isJsonObject(parsed.value)) {
    return failure("data_base64", `expected the event as a JSON object (got ${kindOf(parsed.value)})`);
  }
  return parsed;
}

/**
 * Takes the event out of a CloudEvents 1.0 structured-mode envelope: from `data` (checked as an object by the
 * caller, like every envelope's content) or from `data_base64` holding it as JSON. A broken envelope is an
 * invalid_message whose detail names the attribute.
 */
export function unwrapCloudEvent(value: Record<string, unknown>): UnwrapResult {
  const checked = CloudEventEnvelopeSchema.safeParse(value, { reportInput: true });
  if (!checked.success) return contractFailure("invalid_message", toContractIssues(checked.error.issues));
  const { type, id, source, data_base64: dataBase64 } = checked.data;
  const cloudEvent = { type, id, source };
  const hasData = Object.hasOwn(value, "data");
  if (hasData && dataBase64 !== undefined) {
    return failure("data_base64", "must not be given together with data");
  }
  if (dataBase64 !== undefined) {
    const decoded = decodeDataBase64(dataBase64);
    return decoded.ok ? { ok: true, envelope: "cloudevents", event: decoded.value, cloudEvent } : decoded;
  }
  if (!hasData) {
    return failure("data", "is required: the event as a JSON object, or data_base64 holding it as JSON");
  }
  return { ok: true, envelope: "cloudevents", event: value.data, cloudEvent };
}
