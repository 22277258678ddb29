import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import { type DlqMessage, decodeDlqMessage } from "../../../cli/dlq/dlq-message.ts";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import { makeEvent } from "../../support/events.ts";

export interface ReceivedSpec {
  messageId?: string;
  body?: string | GroupRenamedEvent;
  attributes?: Record<string, string>;
  messageGroupId?: string | null;
  sentTimestamp?: number;
}

/** A DLQ message as ReceiveMessage returns it, decoded; string attributes only. */
export function receivedDlqMessage(spec: ReceivedSpec = {}): DlqMessage {
  const body = spec.body ?? makeEvent();
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(spec.attributes ?? {})) {
    attributes[name] = { DataType: "String", StringValue: value };
  }
  const system: Record<string, string> = { SentTimestamp: String(spec.sentTimestamp ?? 1_768_554_720_000) };
  if (spec.messageGroupId !== null) system.MessageGroupId = spec.messageGroupId ?? "id:grp_abc123def456";
  const message: Message = {
    MessageId: spec.messageId ?? "dlq-msg-1",
    ReceiptHandle: "rh-1",
    Body: typeof body === "string" ? body : JSON.stringify(body),
    MessageAttributes: attributes,
    Attributes: system,
  };
  return decodeDlqMessage(message);
}
