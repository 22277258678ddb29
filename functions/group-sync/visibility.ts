import { ChangeMessageVisibilityBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type Deadline, signalFor } from "../shared/deadline.ts";

/** SQS caps a message's visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Hides messages until the delay the API asked for has passed, so SQS hands them back when the API is ready
 * instead of after the queue's default visibility timeout. Best effort: a failure only means an earlier retry.
 * Each request is bounded by `deadline` and none starts once it has passed; returns how many changes failed.
 */
export async function delayRedelivery(
  sqs: SQSClient,
  queueUrl: string,
  delays: ReadonlyArray<{ receiptHandle: string; delayMs: number }>,
  deadline: Deadline,
): Promise<number> {
  let failures = 0;
  for (let start = 0; start < delays.length; start += 10) {
    const chunk = delays.slice(start, start + 10);
    if (deadline.remainingMs() <= 0) {
      failures += chunk.length;
      continue;
    }
    try {
      const response = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((delay, i) => ({
            Id: String(i),
            ReceiptHandle: delay.receiptHandle,
            VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(delay.delayMs / 1000)),
          })),
        }),
        { abortSignal: signalFor(deadline) },
      );
      failures += response.Failed?.length ?? 0;
    } catch {
      failures += chunk.length;
    }
  }
  return failures;
}

/** The queue URL behind an event source ARN (arn:aws:sqs:REGION:ACCOUNT:NAME). */
export function queueUrlFromArn(arn: string): string | undefined {
  const match = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):(.+)$/.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, name] = match;
  const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}
