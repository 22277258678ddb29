import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/** SQS refuses a message with more than 10 attributes. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/**
 * Attributes a rotation adds to a DLQ message it sends to the back of its FIFO message group. They describe the
 * message's stay in the DLQ, so a replay does not carry them to the source queue.
 */
export const ROTATION_ATTRIBUTES = {
  /** When the message was last rotated (ISO 8601, UTC); a later rotation replaces it. */
  at: "rotated_at",
  /**
   * Only on a message without failed_at (one the queue's redrive moved): when it entered the DLQ, which SQS
   * forgets on every rotation, so that its age and the --older-than filter stay the same.
   */
  firstSentAt: "first_sent_at",
} as const;

/** Only the fields SendMessage accepts; a received value may carry list fields SQS does not support. */
export function copyAttributeValue(value: MessageAttributeValue): MessageAttributeValue {
  return {
    DataType: value.DataType,
    ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
  };
}

export function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: "String", StringValue: value };
}
