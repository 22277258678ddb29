import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { describeError } from "./errors.ts";

export interface OutgoingMessage {
  body: string;
  messageGroupId?: string | undefined;
  deduplicationId?: string | undefined;
}

export type SendOutcome = { ok: true; messageId: string } | { ok: false; error: string };

const MAX_ENTRIES = 10;
/** A batch's bodies together may not exceed what SQS allows for one message (256 KiB on older queues). */
const MAX_BATCH_BYTES = 262_144;

/** Sends messages with SendMessageBatch, in input order; returns one outcome per message, in the same order. */
export async function sendInBatches(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  for (const batch of chunk(messages)) {
    const entries: SendMessageBatchRequestEntry[] = batch.map((message, index) => ({
      Id: String(index),
      MessageBody: message.body,
      ...(message.messageGroupId ? { MessageGroupId: message.messageGroupId } : {}),
      ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
    }));
    const results: SendOutcome[] = batch.map(() => ({
      ok: false,
      error: "no answer from SQS for this entry",
    }));
    try {
      const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      for (const success of response.Successful ?? []) {
        results[Number(success.Id)] = { ok: true, messageId: success.MessageId ?? "" };
      }
      for (const failure of response.Failed ?? []) {
        results[Number(failure.Id)] = {
          ok: false,
          error: `${failure.Code}: ${failure.Message ?? "send failed"}`,
        };
      }
    } catch (error) {
      results.fill({ ok: false, error: describeError(error) });
    }
    outcomes.push(...results);
  }
  return outcomes;
}

function* chunk(messages: readonly OutgoingMessage[]): Generator<OutgoingMessage[]> {
  let batch: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body, "utf8");
    if (batch.length > 0 && (batch.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
