import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from "@aws-sdk/client-sqs";
import { messageDeduplicationIdFor, messageGroupIdFor } from "../shared/contract/index.ts";
import type { ValidEvent } from "./parse-batch.ts";

/** SendMessageBatch takes at most 10 entries... */
export const MAX_ENTRIES_PER_BATCH = 10;
/** ...whose bodies add up to at most 256 KiB (the classic SQS limit, which every endpoint still accepts). */
export const MAX_BATCH_PAYLOAD_BYTES = 262_144;

/** The one SQS call this module makes; an SQSClient satisfies it, and tests can wrap one. */
export interface BatchSender {
  send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput>;
}

/**
 * What happened to one event: queued, refused by SQS in a batch that otherwise went through
 * (`queue_refused`), or not known to be queued because the call itself failed (`queue_unreachable`).
 */
export type EnqueueResult =
  | { index: number; status: "accepted"; messageId: string }
  | { index: number; status: "failed"; reason: "queue_refused" | "queue_unreachable"; code: string };

/** Splits events into SendMessageBatch calls by entry count and by total body size, keeping their order. */
export function chunkForBatches(events: readonly ValidEvent[]): ValidEvent[][] {
  const chunks: ValidEvent[][] = [];
  let current: ValidEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.messageBody, "utf8");
    if (
      current.length === MAX_ENTRIES_PER_BATCH ||
      (current.length > 0 && bytes + size > MAX_BATCH_PAYLOAD_BYTES)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function toEntry(event: ValidEvent): SendMessageBatchRequestEntry {
  return {
    // The request index: unique within the request, and how results map back to events.
    Id: String(event.index),
    MessageBody: event.messageBody,
    MessageGroupId: messageGroupIdFor(event.event),
    MessageDeduplicationId: event.deduplicationId ?? messageDeduplicationIdFor(event.event.event_id),
  };
}

async function sendChunk(sqs: BatchSender, queueUrl: string, chunk: ValidEvent[]): Promise<EnqueueResult[]> {
  let output: SendMessageBatchCommandOutput;
  try {
    output = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map(toEntry) }));
  } catch (error) {
    const code = error instanceof Error ? error.name : "UnknownError";
    return chunk.map(({ index }) => ({ index, status: "failed", reason: "queue_unreachable", code }));
  }
  const succeeded = new Map((output.Successful ?? []).map((entry) => [entry.Id, entry.MessageId ?? ""]));
  const refused = new Map((output.Failed ?? []).map((entry) => [entry.Id, entry.Code ?? "Unknown"]));
  return chunk.map(({ index }): EnqueueResult => {
    const id = String(index);
    const messageId = succeeded.get(id);
    if (messageId !== undefined) return { index, status: "accepted", messageId };
    const code = refused.get(id);
    if (code !== undefined) return { index, status: "failed", reason: "queue_refused", code };
    // Neither list names it: SQS did not say it took the event, so the sender should send it again.
    return { index, status: "failed", reason: "queue_unreachable", code: "MissingFromResponse" };
  });
}

/**
 * Queues every event with MessageGroupId = the group key and the event id as deduplication id, so a resent
 * request cannot queue an event twice within SQS's five-minute window. Chunks go one after another to keep the
 * request's order within each FIFO group. Once a call fails outright, SQS is taken as unreachable and the
 * remaining chunks are reported unqueued at once instead of each waiting out the SDK's retries.
 */
export async function enqueueEvents(
  sqs: BatchSender,
  queueUrl: string,
  events: readonly ValidEvent[],
): Promise<EnqueueResult[]> {
  const results: EnqueueResult[] = [];
  let unreachable: string | undefined;
  for (const chunk of chunkForBatches(events)) {
    if (unreachable !== undefined) {
      const code = unreachable;
      results.push(
        ...chunk.map(
          ({ index }) => ({ index, status: "failed", reason: "queue_unreachable", code }) as const,
        ),
      );
      continue;
    }
    const chunkResults = await sendChunk(sqs, queueUrl, chunk);
    results.push(...chunkResults);
    if (chunkResults.every((result) => result.status === "failed" && result.reason === "queue_unreachable")) {
      unreachable = chunkResults[0]?.status === "failed" ? chunkResults[0].code : "UnknownError";
    }
  }
  return results;
}
