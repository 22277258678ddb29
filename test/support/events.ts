import type { SQSRecord } from "aws-lambda";
import type { GroupRenamedEvent } from "../../functions/shared/contract/group-renamed-event.ts";

let sequence = 0;

/** A valid group.renamed event; override any part. */
export function makeEvent(overrides: Partial<GroupRenamedEvent> = {}): GroupRenamedEvent {
  sequence += 1;
  return {
    schema_version: 1,
    type: "group.renamed",
    event_id: `evt-${String(sequence).padStart(6, "0")}`,
    occurred_at: "2026-01-16T09:12:00Z",
    group: { id: "grp_abc123def456" },
    changes: { name: `Tier ${sequence}` },
    ...overrides,
  };
}

export const FIFO_ARN = "arn:aws:sqs:us-east-1:000000000000:group-sync.fifo";
export const STANDARD_ARN = "arn:aws:sqs:us-east-1:000000000000:group-sync";

/** An SQS record as the Lambda event source mapping delivers it. */
export function makeRecord(
  body: string | GroupRenamedEvent,
  options: { messageId?: string; messageGroupId?: string; receiveCount?: number; fifo?: boolean } = {},
): SQSRecord {
  sequence += 1;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const fifo = options.fifo ?? true;
  const groupId =
    options.messageGroupId ??
    (typeof body === "string" ? "g" : (body.group.id ?? body.group.external_reference_id));
  return {
    messageId: options.messageId ?? `msg-${sequence}`,
    receiptHandle: `rh-${sequence}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: "1768554720000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1768554720000",
      ...(fifo ? { MessageGroupId: groupId ?? "g", MessageDeduplicationId: `dedup-${sequence}` } : {}),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: fifo ? FIFO_ARN : STANDARD_ARN,
    awsRegion: "us-east-1",
  };
}

/** A Lambda context whose remaining time counts down from `remainingMs` in real time. */
export function makeContext(remainingMs = 60_000) {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now() };
}
