import type { FaultDecision } from "./faults.ts";
import { HttpError } from "./http-errors.ts";
import type { FaultAction } from "./types.ts";

type StatusAction = Extract<FaultAction, { type: "status" }>;

/** The error an injected status fault answers with, carrying the retry hints SDK clients honour. */
export function statusFaultError(decision: FaultDecision & { action: StatusAction }, now: number): HttpError {
  const { action } = decision;
  const message =
    decision.label === "rate_limit" ? "Too many requests" : `Injected fault: HTTP ${action.status}`;
  return new HttpError(action.status, message, action.appErrorCode, retryHeaders(action, now));
}

function retryHeaders(action: StatusAction, now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (action.retryAfterHttpDate) {
    const seconds = action.retryAfterSeconds ?? (action.retryAfterMs ?? 0) / 1000;
    // An HTTP date has whole seconds; rounding up keeps the advertised pause at least as long as configured.
    headers["retry-after"] = new Date(Math.ceil((now + seconds * 1000) / 1000) * 1000).toUTCString();
  } else if (action.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(Math.ceil(action.retryAfterSeconds));
  }
  if (action.retryAfterMs !== undefined) headers["retry-after-ms"] = String(Math.ceil(action.retryAfterMs));
  if (action.shouldRetry !== undefined) headers["x-should-retry"] = String(action.shouldRetry);
  return headers;
}
