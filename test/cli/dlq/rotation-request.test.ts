import { describe, expect, it } from "vitest";
import { buildRotationRequest, rotationDeduplicationId } from "../../../cli/dlq/rotation-request.ts";
import { receivedDlqMessage } from "./dlq-message-factory.ts";

const DLQ_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync-dlq.fifo";
const ROTATED_AT = new Date("2026-01-16T12:00:00Z");
const SENT_AT = Date.parse("2026-01-15T08:30:00Z");

const FAILURE = {
  failure_reason: "invalid_message",
  failure_detail: "changes.name: must not be empty",
  failed_at: "2026-01-16T09:00:00.000Z",
  attempts: "3",
  http_status: "422",
  source_message_id: "src-1",
};
const customAttributes = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`custom_${i}`, `v${i}`]));

function rotate(attributes: Record<string, string>) {
  const message = receivedDlqMessage({
    messageId: "dlq-1",
    body: '{ "odd" :  "spacing" }',
    messageGroupId: "id:grp_AAAA",
    attributes,
    sentTimestamp: SENT_AT,
  });
  return buildRotationRequest(message, {
    queueUrl: DLQ_URL,
    messageGroupId: "id:grp_AAAA",
    rotatedAt: ROTATED_AT,
  });
}

/** Attribute values by name, as strings. */
const valuesOf = (request: ReturnType<typeof rotate>) =>
  Object.fromEntries(
    Object.entries(request.input.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
  );

interface MarkingCase {
  name: string;
  attributes: Record<string, string>;
  /** Attributes the copy has beyond the original's (or in place of its rotated_at). */
  added: Record<string, string>;
  unmarked: string[];
}

describe("buildRotationRequest", () => {
  it("sends the body unchanged to the same DLQ and message group, under a deduplication id of its own", () => {
    // Act
    const request = rotate(FAILURE);

    // Assess
    expect(request.input).toMatchObject({
      QueueUrl: DLQ_URL,
      MessageBody: '{ "odd" :  "spacing" }',
      MessageGroupId: "id:grp_AAAA",
      MessageDeduplicationId: rotationDeduplicationId("dlq-1"),
    });
    expect(request.deduplicationId).toMatch(/^rotate-[0-9a-f]{64}$/);
    expect(rotationDeduplicationId("dlq-2")).not.toBe(request.deduplicationId);
  });

  it.each<MarkingCase>([
    {
      name: "keeps every failure attribute and adds rotated_at",
      attributes: FAILURE,
      added: { rotated_at: ROTATED_AT.toISOString() },
      unmarked: [],
    },
    {
      name: "replaces the rotated_at of an earlier rotation",
      attributes: { ...FAILURE, rotated_at: "2026-01-10T00:00:00.000Z" },
      added: { rotated_at: ROTATED_AT.toISOString() },
      unmarked: [],
    },
    {
      name: "records when a message without failed_at entered the DLQ",
      attributes: {},
      added: { first_sent_at: new Date(SENT_AT).toISOString(), rotated_at: ROTATED_AT.toISOString() },
      unmarked: [],
    },
    {
      name: "keeps first_sent_at from an earlier rotation",
      attributes: { first_sent_at: "2026-01-01T00:00:00.000Z" },
      added: { rotated_at: ROTATED_AT.toISOString() },
      unmarked: [],
    },
    {
      name: "drops nothing to make room: a message with 10 attributes goes unmarked",
      attributes: { ...FAILURE, ...customAttributes(4) },
      added: {},
      unmarked: ["rotated_at"],
    },
    {
      name: "fills the last slot with first_sent_at, which keeps the message's age",
      attributes: customAttributes(9),
      added: { first_sent_at: new Date(SENT_AT).toISOString() },
      unmarked: ["rotated_at"],
    },
  ])("$name", ({ attributes, added, unmarked }) => {
    // Act
    const request = rotate(attributes);

    // Assess
    const { rotated_at: _earlier, ...kept } = attributes;
    expect(valuesOf(request)).toEqual({ ...kept, ...added });
    expect(Object.keys(request.input.MessageAttributes ?? {}).length).toBeLessThanOrEqual(10);
    expect(request.unmarked).toEqual(unmarked);
  });
});
