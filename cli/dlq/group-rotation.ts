import { DeleteMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { describeError } from "../errors.ts";
import type { DlqMessage } from "./dlq-message.ts";
import type { ReplayDecision } from "./replay-decision.ts";
import { buildRotationRequest } from "./rotation-request.ts";

export interface GroupRotationOptions {
  sqs: SQSClient;
  dlqUrl: string;
  now(): Date;
}

/**
 * Gets a replay past the messages it leaves in a FIFO DLQ. SQS serves a FIFO message group only from its head, so a
 * kept or skipped message left there hides every later message of its group. Rotating sends a copy to the back of
 * the group and only then deletes the original. The copies are remembered: when one comes up, every message of
 * its group that was there before it has been read, and the group has cycled.
 */
export class GroupRotation {
  private readonly copies = new Set<string>();

  constructor(private readonly options: GroupRotationOptions) {}

  /** True for a copy this run rotated: reading it means its group has cycled. */
  isOwnCopy(messageId: string | undefined): boolean {
    return messageId !== undefined && this.copies.has(messageId);
  }

  /** Only FIFO messages have a group to rotate in. */
  canRotate(message: DlqMessage): message is DlqMessage & { messageGroupId: string } {
    return message.messageGroupId !== undefined;
  }

  async rotate(message: DlqMessage & { messageGroupId: string }): Promise<ReplayDecision> {
    const request = buildRotationRequest(message, {
      queueUrl: this.options.dlqUrl,
      messageGroupId: message.messageGroupId,
      rotatedAt: this.options.now(),
    });
    const sent = {
      message,
      messageGroupId: message.messageGroupId,
      deduplicationId: request.deduplicationId,
      ...(request.unmarked.length > 0 ? { unmarkedAttributes: request.unmarked } : {}),
    };
    let newMessageId: string | undefined;
    try {
      newMessageId = (await this.options.sqs.send(new SendMessageCommand(request.input))).MessageId;
    } catch (error) {
      return { action: "rotate_failed", ...sent, error: describeError(error) };
    }
    if (newMessageId === undefined) {
      // A copy that cannot be recognised would be rotated again when it comes up: keep the original instead.
      return { action: "rotate_failed", ...sent, error: "SQS acknowledged the copy without a message id" };
    }
    this.copies.add(newMessageId);
    try {
      await this.options.sqs.send(
        new DeleteMessageCommand({ QueueUrl: this.options.dlqUrl, ReceiptHandle: message.receiptHandle }),
      );
    } catch (error) {
      // The copy and the original are both in the DLQ: a duplicate of a message replay leaves alone, nothing lost.
      return { action: "rotate_delete_failed", ...sent, newMessageId, error: describeError(error) };
    }
    return { action: "rotated", ...sent, newMessageId };
  }
}
