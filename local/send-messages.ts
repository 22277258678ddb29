import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { messageGroupIdFor } from "../functions/shared/contract/fifo-ids.ts";
import { parseEventBody } from "../functions/shared/contract/parse-event.ts";

export interface OutgoingMessage {
  body: string;
  messageGroupId: string;
  deduplicationId: string;
}

/** SQS refused some messages of a batch; names the entries, never the bodies (they may hold personal data). */
export class SendMessagesError extends Error {
  constructor(failures: Array<{ index: number; code: string }>) {
    super(
      `SQS refused ${failures.length} message(s): ${failures.map((f) => `#${f.index} ${f.code}`).join(", ")}`,
    );
    this.name = "SendMessagesError";
  }
}

/**
 * The FIFO message group a producer would use for this body: the event's own group when the body parses, so
 * that events about one group stay in order, and `fallback` for a body that is not a valid event.
 */
export function messageGroupIdForBody(body: string, fallback: string): string {
  const parsed = parseEventBody(body);
  return parsed.ok ? messageGroupIdFor(parsed.event) : fallback;
}

/** Sends messages in order, ten per request; resolves with their SQS message ids, in the same order. */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const response = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, i) => ({
          Id: String(i),
          MessageBody: message.body,
          MessageGroupId: message.messageGroupId,
          MessageDeduplicationId: message.deduplicationId,
        })),
      }),
    );
    if (response.Failed?.length) {
      throw new SendMessagesError(
        response.Failed.map((f) => ({ index: start + Number(f.Id), code: f.Code ?? "unknown" })),
      );
    }
    const byEntry = new Map((response.Successful ?? []).map((s) => [Number(s.Id), s.MessageId as string]));
    chunk.forEach((_, i) => {
      ids.push(byEntry.get(i) as string);
    });
  }
  return ids;
}
