import { VitableApiError } from "./errors.ts";

/**
 * Builds the error for a non-2xx answer. The documented body is flat
 * (`{ message, error, app_error_code?, trace_id }`); the auth guide also shows a legacy nested
 * `{ error: { code, message } }`, so both are read. Anything else falls back to the status text.
 * Every server-supplied string passes through `redact` before the error (and its stack) is built.
 */
export function apiErrorFromResponse(
  init: {
    status: number;
    statusText: string;
    bodyText: string;
    retryAfterMs: number | undefined;
    attempts: number;
  },
  redact: (text: string) => string = (text) => text,
): VitableApiError {
  const body = parseObject(init.bodyText);
  const nested = body ? asObject(body.error) : undefined;
  const message =
    stringField(body, "message") ??
    stringField(nested, "message") ??
    (init.statusText || `HTTP ${init.status}`);
  const appErrorCode = stringField(body, "app_error_code") ?? stringField(nested, "code");
  const traceId = stringField(body, "trace_id");
  return new VitableApiError({
    status: init.status,
    message: redact(message),
    appErrorCode: appErrorCode === undefined ? undefined : redact(appErrorCode),
    traceId: traceId === undefined ? undefined : redact(traceId),
    retryAfterMs: init.retryAfterMs,
    attempts: init.attempts,
  });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
