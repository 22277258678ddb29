import { randomUUID } from "node:crypto";
import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { messageDeduplicationIdFor, messageGroupIdFor } from "../../functions/shared/contract/fifo-ids.ts";
import type { GroupRenamedEvent } from "../../functions/shared/contract/group-renamed-event.ts";

/** Seeded group ids: `grp_bench000042`, valid for GROUP_ID_PATTERN and the emulator. */
export function benchGroupId(index: number): string {
  return `grp_bench${String(index).padStart(6, "0")}`;
}

// Each event gets a later occurred_at than every event made before it in this process, so nothing a bench sends
// is ever judged stale by the ledger: every event is one real rename that must reach the API.
let lastInstantMs = 0;
let sequence = 0;
const runTag = randomUUID().slice(0, 8);

export function renameEvent(groupId: string): GroupRenamedEvent {
  lastInstantMs = Math.max(Date.now(), lastInstantMs + 1);
  sequence += 1;
  return {
    schema_version: 1,
    type: "group.renamed",
    event_id: `bench-${runTag}-${sequence}`,
    occurred_at: new Date(lastInstantMs).toISOString(),
    group: { id: groupId },
    changes: { name: `Bench rename ${sequence}` },
  };
}

/** `count` events spread round-robin over `groupIds`, as HR would emit renames across many groups. */
export function eventsAcross(groupIds: readonly string[], count: number): GroupRenamedEvent[] {
  return Array.from({ length: count }, (_, index) =>
    renameEvent(groupIds[index % groupIds.length] as string),
  );
}

/** An SQS FIFO record as the event source mapping delivers it on a first receive. */
export function fifoRecord(event: GroupRenamedEvent, queueArn: string): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: `bench-${event.event_id}`,
    body: JSON.stringify(event),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: now,
      SenderId: "bench",
      ApproximateFirstReceiveTimestamp: now,
      MessageGroupId: messageGroupIdFor(event),
      MessageDeduplicationId: messageDeduplicationIdFor(event.event_id),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: "us-east-1",
  };
}

/** A SendMessageBatch entry with the FIFO ids the HR publisher uses. */
export function sendEntry(event: GroupRenamedEvent, id: number): SendMessageBatchRequestEntry {
  return {
    Id: String(id),
    MessageBody: JSON.stringify(event),
    MessageGroupId: messageGroupIdFor(event),
    MessageDeduplicationId: messageDeduplicationIdFor(event.event_id),
  };
}
