import { LedgerUnavailableError } from "../shared/ledger/ledger-store.ts";
import { ApiKeyUnavailableError } from "../shared/vitable/api-key.ts";
import {
  InvalidGroupIdError,
  RetryDeadlineError,
  VitableApiError,
  VitableConnectionError,
  VitableError,
  VitableResponseError,
  VitableTimeoutError,
} from "../shared/vitable/errors.ts";
import type { DeadLettered, RetryLater } from "./outcome.ts";

const MAX_DETAIL = 240;

/**
 * Maps an error from the API client or the ledger to what happens to the record: a permanent failure goes to the
 * DLQ at once; anything that may heal (outages, throttling, auth being fixed, time running out) is retried later.
 */
export function classifyFailure(error: unknown): DeadLettered | RetryLater {
  if (error instanceof RetryDeadlineError) {
    const last = error.lastError ? classifyFailure(error.lastError) : undefined;
    return {
      outcome: "retry_later",
      reason: "deadline",
      detail: short(`no time left in this invocation${last ? ` after: ${last.detail}` : ""}`),
      httpStatus: last?.httpStatus,
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (error instanceof VitableApiError) return classifyStatus(error);
  if (error instanceof VitableTimeoutError || error instanceof VitableConnectionError) {
    return { outcome: "retry_later", reason: "api_unavailable", detail: short(describe(error)) };
  }
  if (error instanceof VitableResponseError) {
    return {
      outcome: "retry_later",
      reason: "api_unavailable",
      detail: short(describe(error)),
      httpStatus: error.status,
    };
  }
  if (error instanceof InvalidGroupIdError) {
    return { outcome: "dead_lettered", reason: "invalid_message", detail: short(error.message) };
  }
  if (error instanceof ApiKeyUnavailableError) {
    return { outcome: "retry_later", reason: "unauthorized", detail: short(error.message) };
  }
  if (error instanceof LedgerUnavailableError) {
    return { outcome: "retry_later", reason: "ledger_unavailable", detail: short(error.message) };
  }
  return { outcome: "retry_later", reason: "unexpected_error", detail: short(describe(error)) };
}

function classifyStatus(error: VitableApiError): DeadLettered | RetryLater {
  const { status } = error;
  const detail = short(describe(error));
  // Both may heal once another event lands (a group created or renamed, a reference freed): retried until the
  // last delivery, then dead-lettered under the same reason.
  if (status === 404)
    return { outcome: "retry_later", reason: "group_not_found", detail, httpStatus: status };
  if (status === 409) return { outcome: "retry_later", reason: "conflict", detail, httpStatus: status };
  if (status === 401 || status === 403) {
    return { outcome: "retry_later", reason: "unauthorized", detail, httpStatus: status };
  }
  if (status === 429) {
    return {
      outcome: "retry_later",
      reason: "rate_limited",
      detail,
      httpStatus: status,
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (status === 408 || status >= 500) {
    return {
      outcome: "retry_later",
      reason: "api_unavailable",
      detail,
      httpStatus: status,
      retryAfterMs: error.retryAfterMs,
    };
  }
  return { outcome: "dead_lettered", reason: "rejected_by_api", detail, httpStatus: status };
}

function describe(error: unknown): string {
  if (error instanceof VitableApiError) {
    const code = error.appErrorCode ? ` ${error.appErrorCode}` : "";
    const trace = error.traceId ? ` (trace_id ${error.traceId})` : "";
    return `HTTP ${error.status}${code}: ${error.message}${trace}`;
  }
  if (error instanceof VitableError) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export function short(text: string): string {
  return text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL - 1)}…`;
}
