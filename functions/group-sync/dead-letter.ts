import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { type Deadline, signalFor } from "../shared/deadline.ts";
import { SQS_BATCH_MAX_BYTES, splitSqsBatches } from "../shared/split-sqs-batches.ts";
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

/**
 * Sends messages to the DLQ with their reason attached, keeping the original body untouched so a replay
 * re-validates exactly what the producer sent. Requests are split by count and by size (10 entries, 1 MiB), and
 * each is bounded by `deadline`: none starts once it has passed. Returns the message ids whose send failed, with
 * the error: those records must not be acked. A message too large for SQS even alone is one of them.
 */
export async function sendToDeadLetterQueue(
  sqs: SQSClient,
  dlqUrl: string,
  letters: readonly DeadLetter[],
  now: Date,
  deadline: Deadline,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const fifo = dlqUrl.endsWith(".fifo");
  const entries = letters.map((letter, i) => ({ ...toEntry(letter, String(i), fifo, now), letter }));
  const { batches, oversized } = splitSqsBatches(entries);
  for (const { entry, bytes } of oversized) {
    failed.set(
      entry.letter.record.messageId,
      `EntryTooLarge: the message with its failure attributes is ${bytes} bytes, more than the ${SQS_BATCH_MAX_BYTES} SQS accepts`,
    );
  }
  for (const batch of batches) {
    const error = await sendBatch(sqs, dlqUrl, batch, deadline);
    if (typeof error === "string") {
      for (const entry of batch) failed.set(entry.letter.record.messageId, error);
      continue;
    }
    for (const [id, message] of error) {
      const letter = letters[Number(id)];
      if (letter) failed.set(letter.record.messageId, message);
    }
  }
  return failed;
}

/** Sends one request; returns why it failed as a whole, or the entry ids SQS refused with their errors. */
async function sendBatch(
  sqs: SQSClient,
  dlqUrl: string,
  batch: ReadonlyArray<SendMessageBatchRequestEntry & { letter: DeadLetter }>,
  deadline: Deadline,
): Promise<string | Map<string, string>> {
  if (deadline.remainingMs() <= 0) return "DeadlineReached: no time left in this invocation to send";
  const entries = batch.map(({ letter: _letter, ...entry }) => entry);
  try {
    const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }), {
      abortSignal: signalFor(deadline),
    });
    const refused = new Map<string, string>();
    for (const failure of response.Failed ?? []) {
      if (failure.Id !== undefined) {
        refused.set(failure.Id, `${failure.Code}: ${failure.Message ?? "send failed"}`);
      }
    }
    const answered = new Set([...(response.Successful ?? []).map((entry) => entry.Id), ...refused.keys()]);
    for (const entry of entries) {
      // SQS did not say it took the message, so it is not known to be stored.
      if (!answered.has(entry.Id))
        refused.set(entry.Id as string, "MissingFromResponse: SQS did not report it");
    }
    return refused;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
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
