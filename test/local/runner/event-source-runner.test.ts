import { ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { type EventSourceRunner, startEventSourceRunner } from "../../../local/runner/event-source-runner.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";

let sqs: EmbeddedSqs | undefined;
let runner: EventSourceRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  await sqs?.stop();
  runner = undefined;
  sqs = undefined;
});

async function setup(options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {}) {
  sqs = await startEmbeddedSqs();
  const queues = await createFifoQueueWithDlq(sqs.client, `runner-${Date.now()}`, {
    maxReceiveCount: options.maxReceiveCount ?? 3,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
  });
  return { sqs, queues };
}

async function send(s: EmbeddedSqs, queueUrl: string, bodies: Array<{ body: string; group: string }>) {
  for (let i = 0; i < bodies.length; i += 10) {
    await s.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((b, j) => ({
          Id: String(j),
          MessageBody: b.body,
          MessageGroupId: b.group,
          MessageDeduplicationId: `${b.group}-${b.body}`,
        })),
      }),
    );
  }
}

describe("local event source runner", () => {
  it("delivers every message in per-group order, within the batch size and the concurrency limit", async () => {
    // Prepare
    const { sqs, queues } = await setup();
    const seen: Array<{ group: string; body: string }> = [];
    let active = 0;
    let maxActive = 0;
    let maxBatch = 0;
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      maxBatch = Math.max(maxBatch, event.Records.length);
      await new Promise((r) => setTimeout(r, 20));
      for (const r of event.Records)
        seen.push({ group: r.attributes.MessageGroupId as string, body: r.body });
      active -= 1;
      return { batchItemFailures: [] };
    };
    const messages = Array.from({ length: 60 }, (_, i) => ({ body: String(i), group: `g${i % 6}` }));
    await send(sqs, queues.queueUrl, messages);

    // Act
    runner = startEventSourceRunner({ sqs: sqs.client, ...queues, handler, batchSize: 4, maxConcurrency: 2 });
    await runner.whenIdle();

    // Assess
    expect(seen).toHaveLength(60);
    for (let g = 0; g < 6; g++) {
      const order = seen.filter((s) => s.group === `g${g}`).map((s) => Number(s.body));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(maxBatch).toBeLessThanOrEqual(4);
    expect(maxActive).toBeLessThanOrEqual(2);
  });

  it("redelivers the records reported failed and lets the queue's redrive move them to the DLQ", async () => {
    // Prepare
    const { sqs, queues } = await setup({ maxReceiveCount: 2, visibilityTimeoutSeconds: 1 });
    const receiveCounts: string[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => ({
      batchItemFailures: event.Records.filter((r) => r.body === "fail").map((r) => {
        receiveCounts.push(r.attributes.ApproximateReceiveCount);
        return { itemIdentifier: r.messageId };
      }),
    });
    await send(sqs, queues.queueUrl, [
      { body: "ok", group: "a" },
      { body: "fail", group: "b" },
    ]);

    // Act
    runner = startEventSourceRunner({ sqs: sqs.client, ...queues, handler });
    await runner.whenIdle();

    // Assess
    expect(receiveCounts).toEqual(["1", "2"]);
    const dlq = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queues.dlqUrl, MaxNumberOfMessages: 10 }),
    );
    expect(dlq.Messages?.map((m) => m.Body)).toEqual(["fail"]);
  });

  it("leaves a whole batch in place when the handler throws or runs past its timeout", async () => {
    // Prepare
    const { sqs, queues } = await setup({ maxReceiveCount: 5, visibilityTimeoutSeconds: 1 });
    let calls = 0;
    const statuses: string[] = [];
    const handler = async (): Promise<SQSBatchResponse> => {
      calls += 1;
      if (calls === 1) throw new Error("crash");
      if (calls === 2) await new Promise((r) => setTimeout(r, 400));
      return { batchItemFailures: [] };
    };
    await send(sqs, queues.queueUrl, [{ body: "x", group: "a" }]);

    // Act
    runner = startEventSourceRunner({
      sqs: sqs.client,
      ...queues,
      handler,
      functionTimeoutMs: 200,
      onInvocation: (report) => statuses.push(report.status),
    });
    await runner.whenIdle();

    // Assess
    expect(statuses).toEqual(["error", "timeout", "ok"]);
  });
});
