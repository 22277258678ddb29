import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Deadline } from "../shared/deadline.ts";
import { type DeadLetter, sendToDeadLetterQueue } from "./dead-letter.ts";

/**
 * Sends dead letters as lanes produce them, so a FIFO lane can wait for its dead letter before it goes on (a
 * failed send hands the record back and holds the rest of its message group). Letters queued in the same turn of
 * the event loop share one SendMessageBatch.
 */
export class DeadLetterOutbox {
  private pending: Array<{ letter: DeadLetter; settle: (error: string | undefined) => void }> = [];

  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: string,
    private readonly now: () => Date,
    /** Sends end by it, and none starts after it. */
    private readonly deadline: Deadline,
  ) {}

  /** Resolves to undefined once the letter is stored in the DLQ, or to why it could not be. */
  send(letter: DeadLetter): Promise<string | undefined> {
    return new Promise((settle) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ letter, settle });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const failed = await sendToDeadLetterQueue(
        this.sqs,
        this.dlqUrl,
        batch.map((entry) => entry.letter),
        this.now(),
        this.deadline,
      );
      for (const { letter, settle } of batch) settle(failed.get(letter.record.messageId));
    } catch (error) {
      for (const { settle } of batch) settle(error instanceof Error ? error.message : String(error));
    }
  }
}
