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

  it("never has two batches of one FIFO message group in flight at once", async () => {
    // Prepare
    const { sqs, queues } = await setup();
    const busy = new Set<string>();
    const overlaps: string[] = [];
    let batches = 0;
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      batches += 1;
      const groups = event.Records.map((r) => r.attributes.MessageGroupId as string);
      for (const group of groups) {
        if (busy.has(group)) overlaps.push(group);
        busy.add(group);
      }
      await new Promise((r) => setTimeout(r, 15));
      for (const group of groups) busy.delete(group);
      return { batchItemFailures: [] };
    };
    await send(
      sqs,
      queues.queueUrl,
      Array.from({ length: 40 }, (_, i) => ({ body: String(i), group: `g${i % 3}` })),
    );

    // Act
    runner = startEventSourceRunner({ sqs: sqs.client, ...queues, handler, batchSize: 5, maxConcurrency: 4 });
    await runner.whenIdle();

    // Assess
    expect(batches).toBeGreaterThan(1);
    expect(overlaps).toEqual([]);
  });

  it("ends a waiting long poll when stopped", async () => {
    // Prepare
    const { sqs, queues } = await setup();
    const signals: AbortSignal[] = [];
    const watched = {
      send: (command: never, options?: { abortSignal?: AbortSignal }) => {
        if (options?.abortSignal) signals.push(options.abortSignal);
        return sqs.client.send(command, options);
      },
    } as unknown as typeof sqs.client;
    runner = startEventSourceRunner({
      sqs: watched,
      ...queues,
      handler: async () => ({ batchItemFailures: [] }),
      waitTimeSeconds: 20,
    });
    await new Promise((r) => setTimeout(r, 100));

    // Act
    await runner.stop();

    // Assess
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  }, 10_000);

  it("abandons a handler at its timeout and redelivers its batch, even if the handler fails later", async () => {
    // Prepare
    const { sqs, queues } = await setup({ maxReceiveCount: 5, visibilityTimeoutSeconds: 1 });
    let calls = 0;
    let lateFailure: Promise<void> | undefined;
    const handler = (): Promise<SQSBatchResponse> => {
      calls += 1;
      if (calls > 1) return Promise.resolve({ batchItemFailures: [] });
      const late = new Promise<SQSBatchResponse>((_, reject) =>
        setTimeout(() => reject(new Error("failed after the timeout")), 300),
      );
      lateFailure = late.then(
        () => undefined,
        () => undefined,
      );
      return late;
    };
    const statuses: string[] = [];
    await send(sqs, queues.queueUrl, [{ body: "x", group: "a" }]);

    // Act
    runner = startEventSourceRunner({
      sqs: sqs.client,
      ...queues,
      handler,
      functionTimeoutMs: 100,
      onInvocation: (report) => statuses.push(report.status),
    });
    await runner.whenIdle();
    await lateFailure;

    // Assess
    expect(statuses).toEqual(["timeout", "ok"]);
  });
});
