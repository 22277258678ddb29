import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeadLetter, sendToDeadLetterQueue } from "../../../functions/group-sync/dead-letter.ts";
import { delayRedelivery } from "../../../functions/group-sync/visibility.ts";
import { NO_DEADLINE } from "../../../functions/shared/deadline.ts";
import { makeRecord } from "../../support/events.ts";
import { type SilentEndpoint, startSilentEndpoint } from "../../support/silent-endpoint.ts";

const PASSED = { remainingMs: () => 0 };
const local = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

function letters(count: number): DeadLetter[] {
  return Array.from({ length: count }, (_, i) => ({
    record: makeRecord("not json", { messageGroupId: `g-${i}` }),
    reason: "invalid_json",
    detail: "body is not valid JSON",
    attempts: 1,
  }));
}

describe("DLQ sends and visibility changes once the deadline has passed", () => {
  let silent: SilentEndpoint;
  let sqs: SQSClient;
  beforeEach(async () => {
    silent = await startSilentEndpoint();
    sqs = new SQSClient({ ...local, endpoint: silent.url });
  });
  afterEach(async () => {
    sqs.destroy();
    await silent.stop();
  });

  it("starts no SendMessageBatch and reports every letter as not sent", async () => {
    // Prepare
    const toSend = letters(12);

    // Act
    const failed = await sendToDeadLetterQueue(
      sqs,
      `${silent.url}/123456789012/dlq.fifo`,
      toSend,
      new Date(),
      PASSED,
    );

    // Assess
    expect(silent.connections()).toBe(0);
    expect([...failed.keys()]).toEqual(toSend.map((letter) => letter.record.messageId));
    expect(new Set(failed.values())).toEqual(
      new Set(["DeadlineReached: no time left in this invocation to send"]),
    );
  });

  it("starts no ChangeMessageVisibilityBatch and counts every change as failed", async () => {
    // Prepare
    const delays = Array.from({ length: 12 }, (_, i) => ({ receiptHandle: `rh-${i}`, delayMs: 60_000 }));

    // Act
    const failures = await delayRedelivery(sqs, `${silent.url}/123456789012/source.fifo`, delays, PASSED);

    // Assess
    expect(silent.connections()).toBe(0);
    expect(failures).toBe(12);
  });
});

describe("DLQ send answered without a word about some entries", () => {
  const sqsMock = mockClient(SQSClient);
  afterEach(() => sqsMock.reset());
  // The double replaces SQSClient's send for the whole worker until restored; later files need the real one.
  afterAll(() => sqsMock.restore());

  it("treats an entry SQS neither took nor refused as not sent", async () => {
    // Prepare
    const [taken, unmentioned] = letters(2) as [DeadLetter, DeadLetter];
    sqsMock
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: "0", MessageId: "m-0", MD5OfMessageBody: "" }], Failed: [] });

    // Act
    const failed = await sendToDeadLetterQueue(
      new SQSClient(local),
      "https://sqs.us-east-1.amazonaws.com/123456789012/dlq.fifo",
      [taken, unmentioned],
      new Date(),
      NO_DEADLINE,
    );

    // Assess
    expect([...failed]).toEqual([
      [unmentioned.record.messageId, "MissingFromResponse: SQS did not report it"],
    ]);
  });
});
