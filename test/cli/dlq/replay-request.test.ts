import { describe, expect, it } from "vitest";
import { buildReplayRequest, replayDeduplicationId } from "../../../cli/dlq/replay-request.ts";
import { makeEvent } from "../../support/events.ts";
import { receivedDlqMessage } from "./dlq-message-factory.ts";

const FIFO_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync.fifo";
const STANDARD_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync";
const REPLAYED_AT = new Date("2026-01-16T12:00:00Z");

describe("buildReplayRequest", () => {
  it("sends the body unchanged in the same FIFO group, with a fresh dedup id and the replay attributes", () => {
    // Prepare
    const message = receivedDlqMessage({
      messageId: "dlq-1",
      messageGroupId: "id:grp_AAAA",
      attributes: { failure_reason: "group_not_found", attempts: "1" },
    });

    // Act
    const request = buildReplayRequest(message, { queueUrl: FIFO_URL, replayedAt: REPLAYED_AT });

    // Assess
    expect(request.input.QueueUrl).toBe(FIFO_URL);
    expect(request.input.MessageBody).toBe(message.body);
    expect(request.input.MessageGroupId).toBe("id:grp_AAAA");
    expect(request.input.MessageDeduplicationId).toMatch(/^replay-[0-9a-f]{64}$/);
    expect(request.input.MessageAttributes).toEqual({
      failure_reason: { DataType: "String", StringValue: "group_not_found" },
      attempts: { DataType: "String", StringValue: "1" },
      replayed_from: { DataType: "String", StringValue: "dlq-1" },
      replayed_at: { DataType: "String", StringValue: "2026-01-16T12:00:00.000Z" },
    });
    expect(request.droppedAttributes).toEqual([]);
  });

  it.each([
    { name: "another DLQ message", other: { id: "dlq-2", at: REPLAYED_AT } },
    {
      name: "a later replay of the same message",
      other: { id: "dlq-1", at: new Date(REPLAYED_AT.getTime() + 1) },
    },
  ])("gives $name a different deduplication id", ({ other }) => {
    // Act
    const first = replayDeduplicationId("dlq-1", REPLAYED_AT);
    const second = replayDeduplicationId(other.id, other.at);

    // Assess
    expect(second).not.toBe(first);
    expect(first.length).toBeLessThanOrEqual(128);
  });

  it("keeps at most 10 attributes, preferring the failure attributes, and names the ones left out", () => {
    // Prepare
    const extra = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`custom_${i}`, `v${i}`]));
    const message = receivedDlqMessage({
      attributes: { ...extra, failure_reason: "conflict", replayed_at: "old" },
    });

    // Act
    const request = buildReplayRequest(message, { queueUrl: FIFO_URL, replayedAt: REPLAYED_AT });

    // Assess
    const names = Object.keys(request.input.MessageAttributes ?? {});
    expect(names).toHaveLength(10);
    expect(names).toContain("failure_reason");
    expect(request.input.MessageAttributes?.replayed_at?.StringValue).toBe(REPLAYED_AT.toISOString());
    expect(request.droppedAttributes).toEqual(["custom_7", "custom_8"]);
  });

  it("leaves the rotation attributes in the DLQ: they describe the message's stay there", () => {
    // Prepare
    const message = receivedDlqMessage({
      attributes: {
        failure_reason: "group_not_found",
        rotated_at: "2026-01-16T11:00:00.000Z",
        first_sent_at: "2026-01-15T08:30:00.000Z",
      },
    });

    // Act
    const request = buildReplayRequest(message, { queueUrl: FIFO_URL, replayedAt: REPLAYED_AT });

    // Assess
    expect(Object.keys(request.input.MessageAttributes ?? {}).sort()).toEqual([
      "failure_reason",
      "replayed_at",
      "replayed_from",
    ]);
    expect(request.droppedAttributes).toEqual([]);
  });

  it("derives the group from the event when the DLQ message has none (a standard DLQ)", () => {
    // Prepare
    const message = receivedDlqMessage({
      body: makeEvent({ group: { external_reference_id: "ref-9" } }),
      messageGroupId: null,
    });

    // Act
    const request = buildReplayRequest(message, { queueUrl: FIFO_URL, replayedAt: REPLAYED_AT });

    // Assess
    expect(request.input.MessageGroupId).toBe("ext:ref-9");
  });

  it("sends no FIFO ids to a standard queue", () => {
    // Act
    const request = buildReplayRequest(receivedDlqMessage(), {
      queueUrl: STANDARD_URL,
      replayedAt: REPLAYED_AT,
    });

    // Assess
    expect(request.input.MessageGroupId).toBeUndefined();
    expect(request.input.MessageDeduplicationId).toBeUndefined();
  });
});
