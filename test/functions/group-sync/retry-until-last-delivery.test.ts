import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { toSqsRecord } from "../../../local/runner/sqs-record.ts";
import { createFifoQueueWithDlq } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent, makeRecord } from "../../support/events.ts";
import { type HarnessOptions, type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const GROUP_X = "grp_XXXXXXXXXXXXXXXXXXXXXX";
const GROUP_Y = "grp_YYYYYYYYYYYYYYYYYYYYYY";
const LAST = 5;

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: HarnessOptions = {}): Promise<SyncHarness> {
  harness = await startSyncHarness({
    groups: [
      { id: GROUP_X, name: "X", external_reference_id: "ref-x" },
      { id: GROUP_Y, name: "Y", external_reference_id: "ref-y" },
    ],
    maxReceiveCount: LAST,
    ...options,
  });
  return harness;
}

describe("sync handler: valid events are retried, not parked in the DLQ", () => {
  it("retries an unknown external reference until the event that creates it lands, then applies it", async () => {
    const h = await start();
    const early = makeRecord(
      makeEvent({
        occurred_at: "2026-03-02T00:00:00Z",
        group: { external_reference_id: "ref-new" },
        changes: { name: "Renamed" },
      }),
    );
    const giver = makeRecord(
      makeEvent({
        occurred_at: "2026-03-01T00:00:00Z",
        group: { id: GROUP_X },
        changes: { external_reference_id: "ref-new" },
      }),
    );

    const first = await h.run([early]);
    await h.run([giver]);
    const second = await h.run([
      { ...early, attributes: { ...early.attributes, ApproximateReceiveCount: "2" } },
    ]);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: early.messageId }]);
    expect(second.batchItemFailures).toEqual([]);
    expect(h.reportFor(early.messageId)?.result).toEqual({ outcome: "applied", fields: ["name"] });
    expect(h.emulator.group(GROUP_X)).toMatchObject({ name: "Renamed", external_reference_id: "ref-new" });
    expect(await h.drainDlq()).toEqual([]);
  });

  it("dead-letters an unknown reference as group_not_found only on its last delivery", async () => {
    const h = await start();
    const record = (count: number) =>
      makeRecord(makeEvent({ group: { external_reference_id: "nobody" } }), {
        receiveCount: count,
        messageGroupId: `delivery-${count}`,
      });
    const early = record(LAST - 1);
    const last = record(LAST);

    await h.run([early, last]);

    expect(h.reportFor(early.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "group_not_found",
    });
    expect(h.reportFor(last.messageId)?.result).toMatchObject({
      outcome: "dead_lettered",
      reason: "group_not_found",
    });
    const dlq = await h.drainDlq();
    expect(dlq.map((m) => m.MessageAttributes?.failure_reason?.StringValue)).toEqual(["group_not_found"]);
  });

  it("retries a reference conflict across deliveries, so a reference moving between groups reaches its new group", async () => {
    // HR moves ref-y from Y to X; X's event arrives first and meets a 409 while Y still holds it.
    const h = await start({ client: { retry: { maxAttempts: 3, maxConflictRetries: 2 } } });
    const toX = makeRecord(
      makeEvent({
        occurred_at: "2026-03-01T00:00:02Z",
        group: { id: GROUP_X },
        changes: { external_reference_id: "ref-y" },
      }),
    );
    const offY = makeRecord(
      makeEvent({
        occurred_at: "2026-03-01T00:00:01Z",
        group: { id: GROUP_Y },
        changes: { external_reference_id: "ref-y-old" },
      }),
    );

    const first = await h.run([toX]);
    await h.run([offY]);
    await h.run([{ ...toX, attributes: { ...toX.attributes, ApproximateReceiveCount: "2" } }]);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: toX.messageId }]);
    expect(h.reportFor(toX.messageId)?.result).toEqual({
      outcome: "applied",
      fields: ["external_reference_id"],
    });
    expect(h.emulator.group(GROUP_X)?.external_reference_id).toBe("ref-y");
    expect(h.emulator.group(GROUP_Y)?.external_reference_id).toBe("ref-y-old");
    expect(await h.drainDlq()).toEqual([]);
  });

  it("learns the reference a change replaces, so a late event addressed by it still reaches its group", async () => {
    const h = await start();
    const change = makeRecord(
      makeEvent({
        occurred_at: "2026-03-02T00:00:00Z",
        group: { id: GROUP_X },
        changes: { external_reference_id: "ref-x2" },
      }),
    );
    const late = makeRecord(
      makeEvent({
        occurred_at: "2026-03-01T00:00:00Z",
        group: { external_reference_id: "ref-x" },
        changes: { name: "Late" },
      }),
    );

    await h.run([change]);
    await h.run([late]);

    expect(await h.ledger.resolveAlias("ref-x")).toBe(GROUP_X);
    expect(h.reportFor(late.messageId)).toMatchObject({
      groupId: GROUP_X,
      result: { outcome: "applied", fields: ["name"] },
    });
    expect(h.emulator.group(GROUP_X)).toMatchObject({ name: "Late", external_reference_id: "ref-x2" });
  });

  it("dead-letters an event stamped further ahead than EVENT_MAX_FUTURE_SECONDS at once, as event_in_future", async () => {
    const h = await start({ maxFutureMs: 300_000 });
    const soon = makeRecord(
      makeEvent({
        occurred_at: new Date(Date.now() + 60_000).toISOString(),
        group: { id: GROUP_X },
        changes: { name: "Soon" },
      }),
    );
    const far = makeRecord(
      makeEvent({ occurred_at: "2099-01-01T00:00:00Z", group: { id: GROUP_Y }, changes: { name: "Far" } }),
    );

    await h.run([soon, far]);

    expect(h.reportFor(soon.messageId)?.result).toEqual({ outcome: "applied", fields: ["name"] });
    expect(h.reportFor(far.messageId)?.result).toMatchObject({
      outcome: "dead_lettered",
      reason: "event_in_future",
    });
    expect(h.emulator.group(GROUP_Y)?.name).toBe("Y");
    const dlq = await h.drainDlq();
    expect(dlq.map((m) => m.MessageAttributes?.failure_reason?.StringValue)).toEqual(["event_in_future"]);
  });

  it("on a FIFO queue, hands back the rest of a message group when a dead letter cannot be stored", async () => {
    const h = await start({ dlqUrl: "http://127.0.0.1:1/000000000000/missing-dlq.fifo" });
    const invalid = makeRecord("{not json", { messageGroupId: GROUP_X });
    const behind = makeRecord(makeEvent({ group: { id: GROUP_X }, changes: { name: "Behind" } }), {
      messageGroupId: GROUP_X,
    });

    const response = await h.run([invalid, behind], 5_000);

    expect(h.reportFor(invalid.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "dlq_send_failed",
    });
    expect(h.reportFor(behind.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "blocked_by_earlier_failure",
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      invalid.messageId,
      behind.messageId,
    ]);
    expect(h.emulator.group(GROUP_X)?.name).toBe("X");
  });
});

describe("sync handler: a group another invocation holds", () => {
  it("skips what the holder's watermarks already make stale, without waiting for the lease", async () => {
    const h = await start();
    await h.run([
      makeRecord(
        makeEvent({ occurred_at: "2026-03-02T00:00:00Z", group: { id: GROUP_X }, changes: { name: "New" } }),
      ),
    ]);
    await h.ledger.acquire(GROUP_X, [], Date.now() + 60_000);
    const stale = makeRecord(
      makeEvent({ occurred_at: "2026-03-01T00:00:00Z", group: { id: GROUP_X }, changes: { name: "Old" } }),
    );

    const response = await h.run([stale]);

    expect(response.batchItemFailures).toEqual([]);
    expect(h.reportFor(stale.messageId)?.result).toEqual({ outcome: "skipped", reason: "stale" });
  });

  it("leaves a newer event for retry as group_busy, and SQS hands it out again after the short delay", async () => {
    const h = await start();
    const sqs = h.sqs.client;
    const queue = await createFifoQueueWithDlq(sqs, "busy", { visibilityTimeoutSeconds: 60 });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.queueUrl,
        MessageBody: JSON.stringify(
          makeEvent({ occurred_at: new Date().toISOString(), group: { id: GROUP_X } }),
        ),
        MessageGroupId: GROUP_X,
        MessageDeduplicationId: "busy-1",
      }),
    );
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MessageSystemAttributeNames: ["All"] }),
    );
    const record = toSqsRecord(received.Messages?.[0] ?? {}, queue.queueArn, "us-east-1");
    await h.ledger.acquire(GROUP_X, [], Date.now() + 60_000);
    const handler = h.handlerFor({ sourceQueueUrl: queue.queueUrl, busyRedeliveryMs: () => 1_000 });

    const response = await handler({ Records: [record] }, { getRemainingTimeInMillis: () => 10_000 });
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, WaitTimeSeconds: 3 }));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(h.reportFor(record.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      reason: "group_busy",
    });
    expect(h.emulator.journal.filter((entry) => entry.method === "PATCH")).toEqual([]);
    // Back after about a second, not after the queue's 60-second visibility timeout.
    expect(again.Messages?.map((m) => m.MessageId)).toEqual([record.messageId]);
  });
});
