import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { toSqsText } from "../shared/sqs-text.ts";
import type { DeadLetterReason } from "./outcome.ts";

/** Names of the attributes every message we dead-letter carries. A fixed interface: the CLI and docs read them. */
export const DLQ_ATTRIBUTES = {
  reason: "failure_reason",
  detail: "failure_detail",
  failedAt: "failed_at",
  attempts: "attempts",
  httpStatus: "http_status",
  sourceMessageId: "source_message_id",
} as const;

export interface DeadLetter {
  record: SQSRecord;
  reason: DeadLetterReason;
  detail: string;
  /** Deliveries of the source message so far (its ApproximateReceiveCount). */
  attempts: number;
  httpStatus?: number | undefined;
}

const SQS_BATCH_LIMIT = 10;

/**
 * Sends messages to the DLQ with their reason attached, keeping the original body untouched so a replay
 * re-validates exactly what the producer sent. Returns the message ids whose send failed, with the error:
 * those records must not be acked.
 */
export async function sendToDeadLetterQueue(
  sqs: SQSClient,
  dlqUrl: string,
  letters: readonly DeadLetter[],
  now: Date,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const fifo = dlqUrl.endsWith(".fifo");
  for (let start = 0; start < letters.length; start += SQS_BATCH_LIMIT) {
    const chunk = letters.slice(start, start + SQS_BATCH_LIMIT);
    const entries = chunk.map((letter, i) => toEntry(letter, String(i), fifo, now));
    try {
      const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }));
      for (const failure of response.Failed ?? []) {
        const letter = chunk[Number(failure.Id)];
        if (letter)
          failed.set(letter.record.messageId, `${failure.Code}: ${failure.Message ?? "send failed"}`);
      }
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      for (const letter of chunk) failed.set(letter.record.messageId, message);
    }
  }
  return failed;
}

function toEntry(letter: DeadLetter, id: string, fifo: boolean, now: Date): SendMessageBatchRequestEntry {
  const attributes: Record<string, MessageAttributeValue> = {
    [DLQ_ATTRIBUTES.reason]: text(letter.reason),
    [DLQ_ATTRIBUTES.detail]: text(letter.detail || "(none)"),
    [DLQ_ATTRIBUTES.failedAt]: text(now.toISOString()),
    [DLQ_ATTRIBUTES.attempts]: { DataType: "Number", StringValue: String(letter.attempts) },
    [DLQ_ATTRIBUTES.sourceMessageId]: text(letter.record.messageId),
  };
  if (letter.httpStatus !== undefined) {
    attributes[DLQ_ATTRIBUTES.httpStatus] = { DataType: "Number", StringValue: String(letter.httpStatus) };
  }
  const entry: SendMessageBatchRequestEntry = {
    Id: id,
    MessageBody: letter.record.body,
    MessageAttributes: attributes,
  };
  if (fifo) {
    entry.MessageGroupId = letter.record.attributes.MessageGroupId ?? "ungrouped";
    // Derived from the source message, so a retried send after a lost response is deduplicated by SQS.
    entry.MessageDeduplicationId = `dlq-${letter.record.messageId}`.slice(0, 128);
  }
  return entry;
}

function text(value: string): MessageAttributeValue {
  return { DataType: "String", StringValue: toSqsText(value) };
}
