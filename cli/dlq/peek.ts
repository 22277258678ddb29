import type { SQSClient } from "@aws-sdk/client-sqs";
import { type DlqMessage, decodeDlqMessage } from "./dlq-message.ts";
import { DlqScanner } from "./dlq-scanner.ts";

/** Short, so that messages a crashed listing left hidden are back within half a minute. */
export const PEEK_HOLD_SECONDS = 30;

export interface PeekOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Which messages to collect; the others are looked at and left alone. */
  accept: (message: DlqMessage) => boolean;
  /** Stop once this many messages were collected. */
  max: number;
  /** Stop reading after this many messages, collected or not. */
  examineLimit?: number;
  holdSeconds?: number;
  waitTimeSeconds?: number;
}

export interface PeekResult {
  messages: DlqMessage[];
  /** Messages read, collected or not. */
  examined: number;
  /** Messages SQS would not make visible again at once: they reappear when their hold ends. */
  notReleased: string[];
}

/** Reads DLQ messages without consuming them: every one read is made visible again before this returns. */
export async function peekDlq(options: PeekOptions): Promise<PeekResult> {
  const scanner = new DlqScanner({
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    holdSeconds: options.holdSeconds ?? PEEK_HOLD_SECONDS,
    ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
  });
  const messages: DlqMessage[] = [];
  let notReleased: string[] = [];
  try {
    const examineLimit = options.examineLimit ?? Number.POSITIVE_INFINITY;
    while (messages.length < options.max && scanner.seenCount < examineLimit) {
      const batch = await scanner.nextBatch();
      if (batch.length === 0) break;
      for (const raw of batch) {
        const message = decodeDlqMessage(raw);
        if (messages.length < options.max && options.accept(message)) messages.push(message);
      }
    }
  } finally {
    // Runs on errors too: a listing must never leave messages hidden longer than it has to.
    notReleased = await scanner.releaseAll();
  }
  return { messages, examined: scanner.seenCount, notReleased };
}
