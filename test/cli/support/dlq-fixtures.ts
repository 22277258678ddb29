import {
  CreateQueueCommand,
  type Message,
  type MessageAttributeValue,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../../functions/group-sync/dead-letter.ts";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import { createFifoQueueWithDlq, type QueuePair } from "../../../local/sqs/embedded-sqs.ts";

let queueCounter = 0;

/** A fresh FIFO source queue and DLQ per test, so tests sharing one fauxqs never see each other's messages. */
export function freshQueues(client: SQSClient, maxReceiveCount = 5): Promise<QueuePair> {
  queueCounter += 1;
  return createFifoQueueWithDlq(client, `cli-${process.pid}-${queueCounter}`, { maxReceiveCount });
}

export interface DeadLetterSpec {
  body: string | GroupRenamedEvent;
  reason?: string;
  detail?: string;
  failedAt?: Date;
  attempts?: number;
  messageGroupId?: string;
  extraAttributes?: Record<string, MessageAttributeValue>;
}

let dedupCounter = 0;

/** Puts a message in the DLQ the way the sync function dead-letters one: body unchanged, failure attributes added. */
export async function putDeadLetter(
  client: SQSClient,
  dlqUrl: string,
  spec: DeadLetterSpec,
): Promise<string> {
  dedupCounter += 1;
  const body = typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
  const groupFromEvent =
    typeof spec.body === "string"
      ? undefined
      : spec.body.group.id
        ? `id:${spec.body.group.id}`
        : `ext:${spec.body.group.external_reference_id}`;
  const attributes = deadLetterAttributes(spec);
  const fifo = dlqUrl.endsWith(".fifo");
  const response = await client.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: body,
      ...(fifo
        ? {
            MessageGroupId: spec.messageGroupId ?? groupFromEvent ?? "g",
            MessageDeduplicationId: `fixture-${dedupCounter}`,
          }
        : {}),
      ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
    }),
  );
  return response.MessageId as string;
}

/** The message attributes putDeadLetter gives a message made from `spec`. */
export function deadLetterAttributes(spec: DeadLetterSpec): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = { ...spec.extraAttributes };
  if (spec.reason !== undefined) {
    attributes[DLQ_ATTRIBUTES.reason] = text(spec.reason);
    attributes[DLQ_ATTRIBUTES.detail] = text(spec.detail ?? "(none)");
    attributes[DLQ_ATTRIBUTES.failedAt] = text((spec.failedAt ?? new Date()).toISOString());
    attributes[DLQ_ATTRIBUTES.attempts] = { DataType: "Number", StringValue: String(spec.attempts ?? 1) };
  }
  return attributes;
}

/** A standard (non-FIFO) source queue and DLQ, for the paths that must behave differently there. */
export async function freshStandardQueues(client: SQSClient): Promise<QueuePair> {
  queueCounter += 1;
  const name = `cli-std-${process.pid}-${queueCounter}`;
  const dlqUrl = (await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl as string;
  const queueUrl = (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
  const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
  return { queueUrl, queueArn: arn, dlqUrl, dlqArn: `${arn}-dlq` };
}

export { drainQueue } from "../../support/drain-queue.ts";

/** Event ids of the messages' bodies, sorted; "(unreadable)" for bodies without one. */
export function eventIdsOf(messages: readonly Message[]): string[] {
  return messages
    .map((message) => {
      try {
        return String((JSON.parse(message.Body ?? "") as { event_id?: unknown }).event_id ?? "(unreadable)");
      } catch {
        return "(unreadable)";
      }
    })
    .sort();
}

function text(value: string): MessageAttributeValue {
  return { DataType: "String", StringValue: value };
}
