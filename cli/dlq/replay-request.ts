import { createHash } from "node:crypto";
import type { MessageAttributeValue, SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { DLQ_ATTRIBUTES } from "../../functions/group-sync/dead-letter.ts";
import { messageGroupIdFor } from "../../functions/shared/contract/index.ts";
import type { DlqMessage } from "./dlq-message.ts";
import {
  copyAttributeValue,
  MAX_MESSAGE_ATTRIBUTES,
  ROTATION_ATTRIBUTES,
  stringAttribute,
} from "./message-attributes.ts";

/** Attributes every replayed message carries, so the function's logs and a later DLQ listing show its history. */
export const REPLAY_ATTRIBUTES = {
  /** The DLQ message id it was replayed from. */
  from: "replayed_from",
  /** When it was replayed (ISO 8601, UTC). */
  at: "replayed_at",
} as const;

const KNOWN_ORDER: readonly string[] = Object.values(DLQ_ATTRIBUTES);

export interface ReplayRequest {
  input: SendMessageCommandInput;
  messageGroupId: string | undefined;
  deduplicationId: string | undefined;
  /** Attributes left out to stay within the SQS limit. */
  droppedAttributes: string[];
}

/**
 * The SendMessage that puts a DLQ message back on the source queue: the body unchanged, the same FIFO message
 * group (so the group's order holds) and a fresh deduplication id. Reusing the original id would let FIFO
 * deduplication silently drop a replay of an event sent in the last five minutes.
 */
export function buildReplayRequest(
  message: DlqMessage,
  target: { queueUrl: string; replayedAt: Date },
): ReplayRequest {
  const { attributes, dropped } = replayAttributes(message, target.replayedAt);
  const input: SendMessageCommandInput = {
    QueueUrl: target.queueUrl,
    MessageBody: message.body,
    MessageAttributes: attributes,
  };
  if (!target.queueUrl.endsWith(".fifo")) {
    return { input, messageGroupId: undefined, deduplicationId: undefined, droppedAttributes: dropped };
  }
  const messageGroupId = message.messageGroupId ?? fallbackGroupId(message);
  const deduplicationId = replayDeduplicationId(message.messageId, target.replayedAt);
  input.MessageGroupId = messageGroupId;
  input.MessageDeduplicationId = deduplicationId;
  return { input, messageGroupId, deduplicationId, droppedAttributes: dropped };
}

/** 71 characters, within the 128 SQS allows; unique per message and replay instant. */
export function replayDeduplicationId(dlqMessageId: string, replayedAt: Date): string {
  const digest = createHash("sha256").update(`${dlqMessageId}|${replayedAt.toISOString()}`).digest("hex");
  return `replay-${digest}`;
}

/** A message from a standard DLQ has no group: use the one a producer would have used. */
function fallbackGroupId(message: DlqMessage): string {
  return message.parsed.ok ? messageGroupIdFor(message.parsed.event) : "ungrouped";
}

function replayAttributes(
  message: DlqMessage,
  replayedAt: Date,
): { attributes: Record<string, MessageAttributeValue>; dropped: string[] } {
  const replayNames: readonly string[] = Object.values(REPLAY_ATTRIBUTES);
  // Rotation attributes describe the stay in the DLQ: the replayed message leaves it.
  const leftBehind: readonly string[] = [...replayNames, ...Object.values(ROTATION_ATTRIBUTES)];
  const carried = Object.keys(message.messageAttributes)
    .filter((name) => !leftBehind.includes(name))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const room = MAX_MESSAGE_ATTRIBUTES - replayNames.length;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const name of carried.slice(0, room)) {
    attributes[name] = copyAttributeValue(message.messageAttributes[name] as MessageAttributeValue);
  }
  attributes[REPLAY_ATTRIBUTES.from] = stringAttribute(message.messageId);
  attributes[REPLAY_ATTRIBUTES.at] = stringAttribute(replayedAt.toISOString());
  return { attributes, dropped: carried.slice(room) };
}

/** Our own failure attributes first: they explain the replay; others follow by name. */
function rank(name: string): number {
  const index = KNOWN_ORDER.indexOf(name);
  return index === -1 ? KNOWN_ORDER.length : index;
}
