import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ContractIssue } from "../shared/contract/index.ts";
import type { EnqueueResult } from "./enqueue.ts";
import { MAX_EVENTS_PER_REQUEST, type RejectedEvent, type ValidEvent } from "./parse-batch.ts";

export type WebhookResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

/** Seconds a sender is asked to wait before resending after a 503. */
export const RETRY_AFTER_SECONDS = 5;

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): WebhookResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * One answer for every failed signature check, so a caller learns nothing about which check failed. Only a
 * problem with which headers were sent (the caller's own knowledge) gets its own `message`.
 */
export function unauthorized(message = "invalid signature"): WebhookResponse {
  return json(401, { error: "unauthorized", message });
}

export function unsupportedMediaType(): WebhookResponse {
  return json(415, {
    error: "unsupported_media_type",
    message: "send the body as application/json or application/cloudevents+json (charset utf-8, if any)",
  });
}

export function payloadTooLarge(bytes: number, limit: number): WebhookResponse {
  return json(413, {
    error: "payload_too_large",
    message: `the body is ${bytes} bytes; at most ${limit} bytes are accepted`,
  });
}

export function tooManyEvents(count: number): WebhookResponse {
  return json(413, {
    error: "too_many_events",
    message: `the array holds ${count} events; at most ${MAX_EVENTS_PER_REQUEST} are accepted per request`,
  });
}

export function invalidBody(issues: ContractIssue[]): WebhookResponse {
  return json(400, {
    error: "invalid_body",
    message: "the body is not an event or an array of events",
    errors: issues,
  });
}

export function invalidEvents(rejected: RejectedEvent[], total: number): WebhookResponse {
  return json(400, {
    error: "invalid_events",
    message: `${rejected.length} of ${total} events are invalid; nothing was queued`,
    events: rejected.map((item) => ({
      index: item.index,
      ...(item.eventId ? { event_id: item.eventId } : {}),
      status: "rejected",
      reason: item.reason,
      errors: item.issues,
    })),
  });
}

/** Server-side trouble (the queue or the secret out of reach): nothing of the request was kept. */
export function unavailable(message: string): WebhookResponse {
  return json(503, { error: "unavailable", message }, { "retry-after": String(RETRY_AFTER_SECONDS) });
}

export function internalError(): WebhookResponse {
  return json(500, { error: "internal_error", message: "the request could not be handled" });
}

function eventStatuses(events: readonly ValidEvent[], results: readonly EnqueueResult[]) {
  const eventIds = new Map(events.map((item) => [item.index, item.event.event_id]));
  return results.map((result) => ({
    index: result.index,
    event_id: eventIds.get(result.index),
    status: result.status,
    ...(result.status === "accepted" ? { message_id: result.messageId } : { reason: result.reason }),
  }));
}

/**
 * 202 when at least one event was queued, listing each; 503 when none was, so that a sender that only looks at
 * the status resends the whole request (deduplication by event id makes that safe).
 */
export function enqueueOutcome(
  events: readonly ValidEvent[],
  results: readonly EnqueueResult[],
): WebhookResponse {
  const accepted = results.filter((result) => result.status === "accepted").length;
  const failed = results.length - accepted;
  const body = { accepted, failed, events: eventStatuses(events, results) };
  if (accepted === 0) {
    return json(
      503,
      { error: "unavailable", message: "no event could be queued; send the request again", ...body },
      { "retry-after": String(RETRY_AFTER_SECONDS) },
    );
  }
  return json(202, body);
}
