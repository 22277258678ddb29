import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { toSqsRecord } from "./sqs-record.ts";

export type BatchHandler = (
  event: SQSEvent,
  context: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<SQSBatchResponse>;

export interface EventSourceRunnerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: BatchHandler;
  region?: string;
  /** Records per invocation, like the mapping's BatchSize (default 10). */
  batchSize?: number;
  /** Invocations in flight at once, like ScalingConfig.MaximumConcurrency (default 5). */
  maxConcurrency?: number;
  /** The function timeout: the context counts down from it, and a batch still running then counts as failed. */
  functionTimeoutMs?: number;
  /** Long-poll wait of each receive, in seconds (default 1). */
  waitTimeSeconds?: number;
  onInvocation?: (report: InvocationReport) => void;
}

export interface InvocationReport {
  records: number;
  failed: number;
  /** "ok", or why the whole batch failed: the handler threw, or ran past the function timeout. */
  status: "ok" | "error" | "timeout";
  error?: string;
}

export interface EventSourceRunner {
  /** Resolves once the queue has no visible or in-flight messages and no invocation is running. */
  whenIdle(options?: { pollMs?: number }): Promise<void>;
  stop(): Promise<void>;
  readonly invocations: number;
}

/**
 * Drives a handler from an SQS queue the way the Lambda SQS event source mapping does: batches, bounded
 * concurrency, a counting-down context, partial batch responses (succeeded records deleted, failed ones left to
 * reappear after the visibility timeout), and a whole batch left in place when the handler throws or times out.
 * FIFO ordering and redrive to the DLQ come from the queue itself, as in AWS.
 */
export function startEventSourceRunner(options: EventSourceRunnerOptions): EventSourceRunner {
  const batchSize = options.batchSize ?? 10;
  const maxConcurrency = options.maxConcurrency ?? 5;
  const functionTimeoutMs = options.functionTimeoutMs ?? 30_000;
  const region = options.region ?? "us-east-1";
  let running = true;
  let invocations = 0;
  const inFlight = new Set<Promise<void>>();
  // Ends a long poll at once on stop(), instead of waiting out its wait time.
  const polling = new AbortController();

  const receiveBatch = async (): Promise<Message[]> => {
    const batch: Message[] = [];
    // A FIFO receive may return fewer messages than asked (one per group on some emulators): keep asking.
    while (batch.length < batchSize && running) {
      const response = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - batch.length),
          WaitTimeSeconds: batch.length === 0 ? (options.waitTimeSeconds ?? 1) : 0,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: polling.signal },
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) break;
      batch.push(...messages);
    }
    return batch;
  };

  const invoke = async (messages: Message[]): Promise<void> => {
    invocations += 1;
    const records = messages.map((m) => toSqsRecord(m, options.queueArn, region));
    const deadline = Date.now() + functionTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), functionTimeoutMs);
    });
    try {
      const invocation = options.handler(
        { Records: records },
        { getRemainingTimeInMillis: () => deadline - Date.now() },
      );
      const result = await Promise.race([invocation, timeout]);
      if (result === "timeout") {
        options.onInvocation?.({ records: records.length, failed: records.length, status: "timeout" });
        return;
      }
      const failed = new Set((result.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const done = records.filter((r) => !failed.has(r.messageId));
      await deleteAll(
        options.sqs,
        options.queueUrl,
        done.map((r) => r.receiptHandle),
      );
      options.onInvocation?.({ records: records.length, failed: failed.size, status: "ok" });
    } catch (error) {
      options.onInvocation?.({
        records: records.length,
        failed: records.length,
        status: "error",
        error: String(error),
      });
    } finally {
      clearTimeout(timer);
    }
  };

  const poll = async (): Promise<void> => {
    while (running) {
      if (inFlight.size >= maxConcurrency) {
        await Promise.race(inFlight);
        continue;
      }
      let messages: Message[];
      try {
        messages = await receiveBatch();
      } catch {
        if (running) await sleep(200);
        continue;
      }
      if (messages.length === 0) continue;
      const task = invoke(messages).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  };
  const pollers = poll();

  return {
    get invocations() {
      return invocations;
    },
    async whenIdle({ pollMs = 100 } = {}) {
      for (;;) {
        if (inFlight.size === 0 && (await queueIsEmpty(options.sqs, options.queueUrl))) {
          // Look twice: a batch may be between receive and invoke.
          await sleep(pollMs);
          if (inFlight.size === 0 && (await queueIsEmpty(options.sqs, options.queueUrl))) return;
        }
        await sleep(pollMs);
      }
    },
    async stop() {
      running = false;
      polling.abort();
      await pollers;
      await Promise.all(inFlight);
    },
  };
}

async function deleteAll(sqs: SQSClient, queueUrl: string, receiptHandles: string[]): Promise<void> {
  for (let start = 0; start < receiptHandles.length; start += 10) {
    const chunk = receiptHandles.slice(start, start + 10);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
      }),
    );
  }
}

async function queueIsEmpty(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const response = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  const a = response.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
      Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(a.ApproximateNumberOfMessagesDelayed ?? 0) ===
    0
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
