import { createHash } from "node:crypto";
import type { MessageAttributeValue, SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { type DlqMessage, recordedFailureTime } from "./dlq-message.ts";
import {
  copyAttributeValue,
  MAX_MESSAGE_ATTRIBUTES,
  ROTATION_ATTRIBUTES,
  stringAttribute,
} from "./message-attributes.ts";

export interface RotationRequest {
  input: SendMessageCommandInput;
  deduplicationId: string;
  /** Rotation attributes left off: the message already had as many attributes as SQS allows. */
  unmarked: string[];
}

/**
 * The SendMessage that puts a DLQ message at the back of its own FIFO message group in the DLQ: the body and every
 * attribute unchanged, the same message group, and a deduplication id of its own (the message's original one
 * would be refused as a duplicate within five minutes of its arrival). Rotation attributes are added only where there is room: no
 * attribute the message carries is ever dropped for them.
 */
export function buildRotationRequest(
  message: DlqMessage,
  target: { queueUrl: string; messageGroupId: string; rotatedAt: Date },
): RotationRequest {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    if (name !== ROTATION_ATTRIBUTES.at) attributes[name] = copyAttributeValue(value);
  }
  const marks: Array<[string, MessageAttributeValue]> = [];
  // First: without it, the message would look as if it had just failed.
  if (recordedFailureTime(message.messageAttributes) === undefined && message.failedAt !== undefined) {
    marks.push([ROTATION_ATTRIBUTES.firstSentAt, stringAttribute(message.failedAt.toISOString())]);
  }
  marks.push([ROTATION_ATTRIBUTES.at, stringAttribute(target.rotatedAt.toISOString())]);
  const unmarked: string[] = [];
  for (const [name, value] of marks) {
    if (Object.keys(attributes).length < MAX_MESSAGE_ATTRIBUTES) attributes[name] = value;
    else unmarked.push(name);
  }
  const deduplicationId = rotationDeduplicationId(message.messageId);
  return {
    input: {
      QueueUrl: target.queueUrl,
      MessageBody: message.body,
      MessageGroupId: target.messageGroupId,
      MessageDeduplicationId: deduplicationId,
      ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
    },
    deduplicationId,
    unmarked,
  };
}

/**
 * 71 characters, within the 128 SQS allows; unique per DLQ message, and the same on every rotation of that message.
 * So a message rotated a second time after its delete was lost (the copy is already at the back) is dropped by SQS
 * as a duplicate if that happens within its five-minute deduplication window, and a send the SDK retries too.
 */
export function rotationDeduplicationId(dlqMessageId: string): string {
  return `rotate-${createHash("sha256").update(dlqMessageId).digest("hex")}`;
}
