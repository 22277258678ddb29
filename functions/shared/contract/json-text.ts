import { truncateText } from "./code-points.ts";
import { jsonDepthIssue } from "./json-depth.ts";
import { type ContractFailure, contractFailure } from "./parse-result.ts";

/** SQS's classic message size limit. Anything larger is refused before JSON.parse spends time on it. */
export const MAX_BODY_BYTES = 262_144;

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type JsonTextResult = { ok: true; value: unknown } | ContractFailure;

/**
 * Size-checks, parses and depth-checks JSON text. `path` locates the text in the message ("" for the SQS body itself,
 * "Message" for the text inside an SNS notification) and `subject` names it in the detail.
 */
export function readJsonText(text: string, path: string, subject: string): JsonTextResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_BODY_BYTES) {
    return contractFailure("invalid_message", [
      { path, message: `${subject} is ${bytes} bytes, over the ${MAX_BODY_BYTES}-byte limit` },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? truncateText(error.message, 100) : "unreadable";
    return contractFailure("invalid_json", [{ path, message: `${subject} is not valid JSON (${why})` }]);
  }
  // JSON.parse copes with any depth; what handles the value next may not.
  const tooDeep = jsonDepthIssue(text, path, subject);
  return tooDeep ? contractFailure("invalid_message", [tooDeep]) : { ok: true, value };
}
