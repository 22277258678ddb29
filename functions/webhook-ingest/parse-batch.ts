import {
  type ContractFailureReason,
  type ContractIssue,
  type Envelope,
  type GroupRenamedEvent,
  jsonDepthIssue,
  MAX_BODY_BYTES,
  MAX_TEXT_LENGTH,
  parseEventValue,
} from "../shared/contract/index.ts";
import { toSqsSafeJson } from "./sqs-safe-json.ts";

/** At most this many events in one request: ten SendMessageBatch calls, well within a webhook's time budget. */
export const MAX_EVENTS_PER_REQUEST = 100;

/** An event that passed the contract, with the SQS message body it will travel as. */
export interface ValidEvent {
  index: number;
  event: GroupRenamedEvent;
  messageBody: string;
  /** How the element was wrapped, for the request's log line. */
  envelope: Envelope;
  /** The CloudEvents `type`, when the element was a CloudEvents envelope. */
  cloudEventType?: string;
  /** Set when the request names its delivery (Standard Webhooks); else the event id deduplicates. */
  deduplicationId?: string;
}

export interface RejectedEvent {
  index: number;
  /** Present when the element carried a usable event_id, so the sender can find it. */
  eventId?: string;
  reason: ContractFailureReason;
  issues: ContractIssue[];
}

export type BatchParse =
  | { ok: true; events: ValidEvent[] }
  | { ok: false; problem: "body"; issues: ContractIssue[] }
  | { ok: false; problem: "too_many_events"; count: number }
  | { ok: false; problem: "events"; rejected: RejectedEvent[]; total: number };

function readJson(text: string): { ok: true; value: unknown } | { ok: false; issue: ContractIssue } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, issue: { path: "", message: "body is not valid JSON" } };
  }
  // Each event is re-serialised below, and JSON.stringify overflows the stack on very deep nesting.
  const tooDeep = jsonDepthIssue(text, "", "body");
  return tooDeep ? { ok: false, issue: tooDeep } : { ok: true, value };
}

function eventIdOf(element: unknown): string | undefined {
  if (typeof element !== "object" || element === null) return undefined;
  const id = (element as Record<string, unknown>).event_id;
  return typeof id === "string" && id.length > 0 && id.length <= MAX_TEXT_LENGTH ? id : undefined;
}

function checkElement(element: unknown, index: number): ValidEvent | RejectedEvent {
  const parsed = parseEventValue(element);
  const eventId = eventIdOf(element);
  if (!parsed.ok) {
    return { index, ...(eventId ? { eventId } : {}), reason: parsed.reason, issues: parsed.issues };
  }
  // The element travels as sent (envelope and unknown keys included), so the queue holds what the HR side said.
  const messageBody = toSqsSafeJson(element);
  const bytes = Buffer.byteLength(messageBody, "utf8");
  if (bytes > MAX_BODY_BYTES) {
    return {
      index,
      ...(eventId ? { eventId } : {}),
      reason: "invalid_message",
      issues: [{ path: "", message: `event is ${bytes} bytes, over the ${MAX_BODY_BYTES}-byte limit` }],
    };
  }
  const cloudEventType = parsed.cloudEvent?.type;
  return {
    index,
    event: parsed.event,
    messageBody,
    envelope: parsed.envelope,
    ...(cloudEventType === undefined ? {} : { cloudEventType }),
  };
}

/**
 * Reads a request body holding one event or an array of events, each checked against the same contract as the
 * sync function. All or nothing: one invalid event refuses the whole request, so the sender can fix it and
 * resend the same request without working out which events already went through.
 */
export function parseEventBatch(text: string): BatchParse {
  const json = readJson(text);
  if (!json.ok) return { ok: false, problem: "body", issues: [json.issue] };
  const elements = Array.isArray(json.value) ? json.value : [json.value];
  if (elements.length === 0) {
    return { ok: false, problem: "body", issues: [{ path: "", message: "the array holds no events" }] };
  }
  if (elements.length > MAX_EVENTS_PER_REQUEST) {
    return { ok: false, problem: "too_many_events", count: elements.length };
  }
  const checked = elements.map(checkElement);
  const rejected = checked.filter((item): item is RejectedEvent => "reason" in item);
  if (rejected.length > 0) return { ok: false, problem: "events", rejected, total: elements.length };
  return { ok: true, events: checked as ValidEvent[] };
}
