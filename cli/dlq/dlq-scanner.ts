import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

const RECEIVE_LIMIT = 10;
const BATCH_LIMIT = 10;

export interface DlqScannerOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** How long each received message stays hidden while the scan runs; a crash leaves it hidden this long. */
  holdSeconds: number;
  /** Long-poll wait of each receive: a short poll may miss messages on real SQS. */
  waitTimeSeconds?: number;
}

/**
 * Walks a queue without consuming it. Every message received stays in flight (hidden) until the scan ends, so the
 * next receive returns new ones; `releaseAll` then makes them visible again at once. Messages the caller deleted
 * are `settle`d and not released. A FIFO queue hides the messages behind an in-flight one of the same message
 * group, so a scan sees the first message(s) of each group only.
 */
export class DlqScanner {
  private readonly seen = new Set<string>();
  /** Message id -> latest receipt handle, for messages still in flight. */
  private readonly held = new Map<string, string>();

  constructor(private readonly options: DlqScannerOptions) {}

  /** The next messages not seen before; empty when the queue has nothing new to give. */
  async nextBatch(): Promise<Message[]> {
    const response = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: RECEIVE_LIMIT,
        VisibilityTimeout: this.options.holdSeconds,
        WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    const fresh: Message[] = [];
    for (const message of response.Messages ?? []) {
      const id = message.MessageId;
      if (!id || !message.ReceiptHandle) continue;
      // A held message whose hold ran out comes back with a new handle: only the newest one can release it.
      if (this.seen.has(id)) {
        if (this.held.has(id)) this.held.set(id, message.ReceiptHandle);
        continue;
      }
      this.seen.add(id);
      this.held.set(id, message.ReceiptHandle);
      fresh.push(message);
    }
    return fresh;
  }

  /** The message was deleted: nothing to release. */
  settle(messageId: string): void {
    this.held.delete(messageId);
  }

  get seenCount(): number {
    return this.seen.size;
  }

  /** Makes every held message visible again; returns the ids SQS refused (they reappear when their hold ends). */
  async releaseAll(): Promise<string[]> {
    const entries = [...this.held];
    this.held.clear();
    const refused: string[] = [];
    for (let start = 0; start < entries.length; start += BATCH_LIMIT) {
      const chunk = entries.slice(start, start + BATCH_LIMIT);
      try {
        const response = await this.options.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: chunk.map(([, handle], index) => ({
              Id: String(index),
              ReceiptHandle: handle,
              VisibilityTimeout: 0,
            })),
          }),
        );
        for (const failure of response.Failed ?? []) {
          const entry = chunk[Number(failure.Id)];
          if (entry) refused.push(entry[0]);
        }
      } catch {
        refused.push(...chunk.map(([id]) => id));
      }
    }
    return refused;
  }
}
