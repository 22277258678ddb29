import { createHash } from "node:crypto";
import { groupKeyOf } from "./group-key.ts";
import type { GroupRenamedEvent } from "./group-renamed-event.ts";

/** What SQS accepts for MessageGroupId and MessageDeduplicationId: 1-128 printable ASCII characters but space. */
const SQS_SAFE_ID = /^[\x21-\x7e]{1,128}$/;
const HASHED_PREFIX = "h:";
const DELIVERY_PREFIX = "w:";

function hashedId(text: string): string {
  return `${HASHED_PREFIX}${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** All events about one group share a FIFO group, so SQS delivers them in order. */
export function messageGroupIdFor(event: GroupRenamedEvent): string {
  const key = groupKeyOf(event);
  // Keys start with "id:" or "ext:", so they can never look like a hashed id.
  return SQS_SAFE_ID.test(key) ? key : hashedId(key);
}

/**
 * SQS drops a second message with the same deduplication id within five minutes; the event id makes HR resends
 * duplicates. An event id that itself starts with "h:" or "w:" is hashed too, so it cannot collide with another
 * one's hash or with a delivery's id.
 */
export function messageDeduplicationIdFor(eventId: string): string {
  const reserved = eventId.startsWith(HASHED_PREFIX) || eventId.startsWith(DELIVERY_PREFIX);
  return SQS_SAFE_ID.test(eventId) && !reserved ? eventId : hashedId(eventId);
}

/**
 * For a delivery that names itself (a Standard Webhooks `webhook-id`): retries of one delivery resend the same
 * id and bytes, so each message's id comes from the delivery id, the event's position in it and the message
 * body. The body is part of it so that an id wrongly reused for other content is queued, not silently dropped.
 */
export function deliveryDeduplicationIdFor(
  deliveryId: string,
  position: number,
  messageBody: string,
): string {
  const digest = createHash("sha256")
    .update(`${deliveryId}\n${position}\n`, "utf8")
    .update(messageBody, "utf8")
    .digest("hex");
  return `${DELIVERY_PREFIX}${digest}`;
}
