import type { Message } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../../functions/group-sync/dead-letter.ts";
import { SQS_BATCH_MAX_BYTES } from "../../../functions/shared/split-sqs-batches.ts";
import { makeRecord } from "../../support/events.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** A body the contract refuses (not JSON), `bytes` long, distinct per `tag`. */
function refusedBody(tag: string, bytes: number): string {
  return `${tag}:`.padEnd(bytes, "x");
}

function attribute(message: Message, name: string): string | undefined {
  return message.MessageAttributes?.[name]?.StringValue;
}

describe("dead letters and the SendMessageBatch size limit", () => {
  it("gets five refused bodies of 250 kB into the DLQ with their reasons, in requests of at most 1 MiB", async () => {
    // Prepare
    harness = await startSyncHarness();
    const records = ["a", "b", "c", "d", "e"].map((tag) =>
      makeRecord(refusedBody(tag, 250_000), { messageGroupId: `g-${tag}` }),
    );

    // Act
    const response = await harness.run(records);
    const dead = await harness.drainDlq();

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(records.map((r) => harness?.reportFor(r.messageId)?.result.outcome)).toEqual(
      Array(5).fill("dead_lettered"),
    );
    const bySource = new Map(dead.map((m) => [attribute(m, DLQ_ATTRIBUTES.sourceMessageId), m]));
    expect(bySource.size).toBe(5);
    for (const record of records) {
      const message = bySource.get(record.messageId);
      expect(message?.Body).toBe(record.body);
      expect(attribute(message as Message, DLQ_ATTRIBUTES.reason)).toBe("invalid_json");
    }
  });

  it("hands back a dead letter too large for SQS even alone as dlq_send_failed, and still sends the others", async () => {
    // Prepare: the body fits SQS, but not with the failure attributes added.
    harness = await startSyncHarness();
    const big = makeRecord(refusedBody("big", SQS_BATCH_MAX_BYTES - 10), { messageGroupId: "g-big" });
    const small = makeRecord(refusedBody("small", 100), { messageGroupId: "g-small" });

    // Act
    const response = await harness.run([big, small]);
    const dead = await harness.drainDlq();

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: big.messageId }]);
    const bigResult = harness.reportFor(big.messageId)?.result;
    expect(bigResult).toMatchObject({ outcome: "retry_later", reason: "dlq_send_failed" });
    expect(bigResult?.outcome === "retry_later" && bigResult.detail).toMatch(
      /^could not dead-letter \(invalid_message: .*\): EntryTooLarge: the message with its failure attributes is \d+ bytes/,
    );
    expect(dead.map((m) => attribute(m, DLQ_ATTRIBUTES.sourceMessageId))).toEqual([small.messageId]);
  });
});
