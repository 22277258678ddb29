import { createHash } from "node:crypto";
import { groupKeyOf } from "./group-key.ts";
import type { GroupRenamedEvent } from "./group-renamed-event.ts";

/** What SQS accepts for MessageGroupId and MessageDeduplicationId: 1-128 printable ASCII characters but space. */
const SQS_SAFE_ID = /^[\x21-\x7e]{1,128}$/;
const HASHED_PREFIX = "h:";

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
 * duplicates. An event id that itself starts with "h:" is hashed too, so it cannot collide with another one's hash.
 */
export function messageDeduplicationIdFor(eventId: string): string {
  return SQS_SAFE_ID.test(eventId) && !eventId.startsWith(HASHED_PREFIX) ? eventId : hashedId(eventId);
}
