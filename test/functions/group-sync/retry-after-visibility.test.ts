import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { toSqsRecord } from "../../../local/runner/sqs-record.ts";
import { createFifoQueueWithDlq } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const GROUP = "grp_VVVVVVVVVVVVVVVVVVVVVV";
let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe("sync handler: a Retry-After longer than the time left", () => {
  it("hides the message until the API is ready instead of letting it come back after the queue's timeout", async () => {
    // Prepare: a queue whose messages reappear after 1 s, and an API that asks for 2 minutes
    harness = await startSyncHarness({
      groups: [{ id: GROUP, name: "V", external_reference_id: "ref-v" }],
      client: { retry: { maxAttempts: 1 } },
      faults: {
        script: [{ action: { type: "status", status: 429, retryAfterSeconds: 120 }, method: "PATCH" }],
      },
    });
    const sqs = harness.sqs.client;
    const queue = await createFifoQueueWithDlq(sqs, "visibility", { visibilityTimeoutSeconds: 1 });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.queueUrl,
        MessageBody: JSON.stringify(
          makeEvent({ occurred_at: new Date().toISOString(), group: { id: GROUP } }),
        ),
        MessageGroupId: GROUP,
        MessageDeduplicationId: "visibility-1",
      }),
    );
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MessageSystemAttributeNames: ["All"] }),
    );
    const record = toSqsRecord(received.Messages?.[0] ?? {}, queue.queueArn, "us-east-1");
    const handler = harness.handlerFor({ sourceQueueUrl: queue.queueUrl });

    // Act
    const response = await handler({ Records: [record] }, { getRemainingTimeInMillis: () => 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl }));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(harness.reportFor(record.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "rate_limited",
      retryAfterMs: 120_000,
    });
    expect(again.Messages ?? []).toEqual([]);
  });
});
