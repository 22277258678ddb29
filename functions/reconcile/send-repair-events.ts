import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import {
  type GroupRenamedEvent,
  messageDeduplicationIdFor,
  messageGroupIdFor,
} from "../shared/contract/index.ts";
import { type Deadline, signalFor } from "../shared/deadline.ts";

const BATCH = 10;

export interface SendResult {
  sent: number;
  /** One line per event that was not accepted, naming the event and the reason (never a body). */
  failed: string[];
}

/**
 * Puts the repair events on the source queue as `group-sync send` does: FIFO group from the group, deduplication id
 * from the event id. Each batch call is cut at the deadline; what was not sent is reported, not retried here (the
 * invocation fails and Lambda runs it again, and the deterministic event ids make the resend harmless).
 */
export async function sendRepairEvents(
  sqs: SQSClient,
  queueUrl: string,
  events: readonly GroupRenamedEvent[],
  deadline: Deadline,
): Promise<SendResult> {
  const fifo = queueUrl.endsWith(".fifo");
  const result: SendResult = { sent: 0, failed: [] };
  for (let start = 0; start < events.length; start += BATCH) {
    const batch = events.slice(start, start + BATCH);
    const describe = (index: number) => `event ${batch[index]?.event_id} for ${batch[index]?.group.id}`;
    try {
      const response = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((event, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(event),
            ...(fifo
              ? {
                  MessageGroupId: messageGroupIdFor(event),
                  MessageDeduplicationId: messageDeduplicationIdFor(event.event_id),
                }
              : {}),
          })),
        }),
        { abortSignal: signalFor(deadline) },
      );
      result.sent += response.Successful?.length ?? 0;
      for (const failure of response.Failed ?? []) {
        result.failed.push(`${describe(Number(failure.Id))}: ${failure.Code}`);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.name : "unknown error";
      result.failed.push(...batch.map((_, index) => `${describe(index)}: ${reason}`));
    }
  }
  return result;
}
