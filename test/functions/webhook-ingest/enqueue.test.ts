import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GroupRenamedEvent,
  messageDeduplicationIdFor,
  messageGroupIdFor,
} from "../../../functions/shared/contract/index.ts";
import {
  type BatchSender,
  chunkForBatches,
  enqueueEvents,
  MAX_BATCH_PAYLOAD_BYTES,
} from "../../../functions/webhook-ingest/enqueue.ts";
import type { ValidEvent } from "../../../functions/webhook-ingest/parse-batch.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  sqsClientFor,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";

let sqs: EmbeddedSqs;
let queueCount = 0;

beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

async function freshQueue(): Promise<string> {
  queueCount += 1;
  return (await createFifoQueueWithDlq(sqs.client, `webhook-enqueue-${process.pid}-${queueCount}`)).queueUrl;
}

function valid(events: GroupRenamedEvent[]): ValidEvent[] {
  return events.map((event, index) => ({
    index,
    event,
    messageBody: JSON.stringify(event),
    envelope: "raw",
  }));
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const response = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ["All"],
      }),
    );
    if (!response.Messages?.length) return messages;
    messages.push(...response.Messages);
    // A FIFO group stays locked while one of its messages is in flight, so delete what was read.
    await sqs.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: response.Messages.map((m, i) => ({
          Id: String(i),
          ReceiptHandle: m.ReceiptHandle as string,
        })),
      }),
    );
  }
}

/** Counts calls and lets a test rewrite SQS's answer, to inject refusals the emulator never makes. */
function wrap(
  rewrite: (output: Awaited<ReturnType<BatchSender["send"]>>) => typeof output = (output) => output,
): BatchSender & { calls: number } {
  const wrapper = {
    calls: 0,
    send: async (command: SendMessageBatchCommand) => {
      wrapper.calls += 1;
      return rewrite(await sqs.client.send(command));
    },
  };
  return wrapper;
}

describe("enqueueEvents over the wire to fauxqs", () => {
  it("queues every event with the group key as MessageGroupId and the event id as deduplication id", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    const events = [
      makeEvent({ event_id: "plain-id", group: { id: "grp_abc123def456" } }),
      makeEvent({ event_id: "x".repeat(200), group: { external_reference_id: "seg 1 / ü" } }),
      makeEvent({ event_id: "has space", group: { id: "grp_zYxWvUtSrQpOnMlKjIhGfE" } }),
    ];

    // Act
    const results = await enqueueEvents(sqs.client, queueUrl, valid(events));
    const received = await receiveAll(queueUrl);

    // Assess
    expect(results.map((r) => r.status)).toEqual(["accepted", "accepted", "accepted"]);
    const byBody = new Map(received.map((m) => [m.Body, m.Attributes]));
    for (const [index, event] of events.entries()) {
      const attributes = byBody.get(JSON.stringify(event));
      expect(attributes?.MessageGroupId).toBe(messageGroupIdFor(event));
      expect(attributes?.MessageDeduplicationId).toBe(messageDeduplicationIdFor(event.event_id));
      expect(results[index]).toMatchObject({ index, status: "accepted", messageId: expect.any(String) });
    }
    expect(byBody.get(JSON.stringify(events[1]))?.MessageDeduplicationId).toMatch(/^h:[0-9a-f]{64}$/);
  });

  it("sends 25 events as three batches and keeps their order within a group", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    const events = Array.from({ length: 25 }, (_, i) =>
      makeEvent({ event_id: `order-${String(i).padStart(2, "0")}`, group: { id: "grp_abc123def456" } }),
    );
    const sender = wrap();

    // Act
    const results = await enqueueEvents(sender, queueUrl, valid(events));
    const received = await receiveAll(queueUrl);

    // Assess
    expect(sender.calls).toBe(3);
    expect(results.every((r) => r.status === "accepted")).toBe(true);
    expect(received.map((m) => (JSON.parse(m.Body ?? "{}") as GroupRenamedEvent).event_id)).toEqual(
      events.map((e) => e.event_id),
    );
  });

  it("queues an event only once when the same request is sent twice", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    const events = valid([makeEvent({ event_id: "resent-1" }), makeEvent({ event_id: "resent-2" })]);

    // Act
    await enqueueEvents(sqs.client, queueUrl, events);
    const again = await enqueueEvents(sqs.client, queueUrl, events);
    const received = await receiveAll(queueUrl);

    // Assess
    expect(again.map((r) => r.status)).toEqual(["accepted", "accepted"]);
    expect(received).toHaveLength(2);
  });

  it("reports exactly the entries SQS refused, and queues the rest", async () => {
    // Prepare
    const queueUrl = await freshQueue();
    const events = valid(Array.from({ length: 12 }, (_, i) => makeEvent({ event_id: `partial-${i}` })));
    const refusedIds = new Set(["3", "11"]);
    const sender = wrap((output) => ({
      ...output,
      Successful: output.Successful?.filter((entry) => !refusedIds.has(entry.Id ?? "")),
      Failed: [...refusedIds].map((Id) => ({ Id, Code: "InternalError", SenderFault: false })),
    }));

    // Act
    const results = await enqueueEvents(sender, queueUrl, events);

    // Assess
    const failed = results.filter((r) => r.status === "failed");
    expect(failed).toEqual([
      { index: 3, status: "failed", reason: "queue_refused", code: "InternalError" },
      { index: 11, status: "failed", reason: "queue_refused", code: "InternalError" },
    ]);
    expect(results.filter((r) => r.status === "accepted")).toHaveLength(10);
  });

  it("stops after the first unreachable call and reports every event unqueued", async () => {
    // Prepare
    const stopped = await startEmbeddedSqs();
    await stopped.stop();
    const client = sqsClientFor(stopped.endpoint);
    const sender = {
      calls: 0,
      send: (command: SendMessageBatchCommand) => {
        sender.calls += 1;
        return client.send(command);
      },
    };
    const events = valid(Array.from({ length: 21 }, (_, i) => makeEvent({ event_id: `down-${i}` })));

    // Act
    const results = await enqueueEvents(sender, await freshQueue(), events);

    // Assess
    expect(sender.calls).toBe(1);
    expect(results).toHaveLength(21);
    expect(results.every((r) => r.status === "failed" && r.reason === "queue_unreachable")).toBe(true);
  });
});

describe("chunkForBatches", () => {
  it("starts a new batch before the bodies would pass 256 KiB", () => {
    // Prepare
    const big = "x".repeat(100_000);
    const events = valid(Array.from({ length: 5 }, () => makeEvent())).map((e) => ({
      ...e,
      messageBody: big,
    }));

    // Act
    const chunks = chunkForBatches(events);

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 1]);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, e) => sum + Buffer.byteLength(e.messageBody), 0);
      expect(bytes).toBeLessThanOrEqual(MAX_BATCH_PAYLOAD_BYTES);
    }
  });
});
