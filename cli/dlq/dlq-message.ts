import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../functions/group-sync/dead-letter.ts";
import { groupKeyOf, type ParseResult, parseEventBody } from "../../functions/shared/contract/index.ts";
import { ROTATION_ATTRIBUTES } from "./message-attributes.ts";

/** Shown for a message SQS moved by itself (maxReceiveCount) without our failure attributes. */
export const UNKNOWN_REASON = "unknown";

/** A DLQ message as the CLI reads it: the failure the function recorded, and the body re-validated now. */
export interface DlqMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  messageGroupId: string | undefined;
  messageAttributes: Record<string, MessageAttributeValue>;
  systemAttributes: Record<string, string>;
  reason: string;
  detail: string | undefined;
  attempts: number | undefined;
  httpStatus: number | undefined;
  /**
   * When the function dead-lettered it (failed_at), else when it entered the DLQ: first_sent_at on a rotated
   * message, the SQS SentTimestamp on one never rotated.
   */
  failedAt: Date | undefined;
  /** The body checked against the contract the function uses, as of now. */
  parsed: ParseResult;
  eventId: string | undefined;
  /** `id:<grp id>` or `ext:<external id>` when the event names its group. */
  groupKey: string | undefined;
}

export function decodeDlqMessage(message: Message): DlqMessage {
  const body = message.Body ?? "";
  const attributes = message.MessageAttributes ?? {};
  const system = message.Attributes ?? {};
  const parsed = parseEventBody(body);
  const text = (name: string) => attributes[name]?.StringValue;
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body,
    messageGroupId: system.MessageGroupId,
    messageAttributes: attributes,
    systemAttributes: system,
    reason: text(DLQ_ATTRIBUTES.reason) ?? UNKNOWN_REASON,
    detail: text(DLQ_ATTRIBUTES.detail),
    attempts: numberOrUndefined(text(DLQ_ATTRIBUTES.attempts)),
    httpStatus: numberOrUndefined(text(DLQ_ATTRIBUTES.httpStatus)),
    failedAt: recordedFailureTime(attributes) ?? epochOrUndefined(system.SentTimestamp),
    parsed,
    eventId: parsed.ok ? parsed.event.event_id : eventIdOfInvalid(body),
    groupKey: parsed.ok ? groupKeyOf(parsed.event) : undefined,
  };
}

/** The failure time the message's attributes hold (failed_at, else first_sent_at); undefined when neither is readable. */
export function recordedFailureTime(attributes: Record<string, MessageAttributeValue>): Date | undefined {
  return (
    instantOrUndefined(attributes[DLQ_ATTRIBUTES.failedAt]?.StringValue) ??
    instantOrUndefined(attributes[ROTATION_ATTRIBUTES.firstSentAt]?.StringValue)
  );
}

/** The group shown in tables: the event's group key, else the FIFO message group of an unreadable body. */
export function displayGroup(message: DlqMessage): string | undefined {
  return message.groupKey ?? message.messageGroupId;
}

/** An invalid event may still carry a readable event_id, which is how operators know it. */
function eventIdOfInvalid(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null && "event_id" in value) {
      const id = (value as { event_id: unknown }).event_id;
      if (typeof id === "string" && id.length > 0) return id;
    }
  } catch {
    // Not JSON: no event id to show.
  }
  return undefined;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function instantOrUndefined(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : new Date(instant);
}

function epochOrUndefined(text: string | undefined): Date | undefined {
  const millis = numberOrUndefined(text);
  return millis === undefined ? undefined : new Date(millis);
}
