import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES, sendToDeadLetterQueue } from "../../../functions/group-sync/dead-letter.ts";
import { powertoolsTelemetry } from "../../../functions/group-sync/telemetry.ts";
import { parseEventBody } from "../../../functions/shared/contract/index.ts";
import { NO_DEADLINE } from "../../../functions/shared/deadline.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import { drainQueue } from "../../support/drain-queue.ts";
import { makeRecord } from "../../support/events.ts";

/** The detail the function records for a body that starts with an emoji and is not JSON: V8 quotes half of it. */
function detailCuttingAnEmoji(): string {
  const parsed = parseEventBody("😀 not json");
  if (parsed.ok) throw new Error("expected a parse failure");
  return parsed.detail;
}

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

let queueCounter = 0;

describe("dead-letter attributes are well-formed SQS text", () => {
  it("sends a detail holding half an emoji and controls with U+FFFD in their place", async () => {
    // Prepare: the body stays ASCII, so only the detail carries the broken and astral characters.
    queueCounter += 1;
    const queues = await createFifoQueueWithDlq(sqs.client, `dlq-attr-${process.pid}-${queueCounter}`);
    const record = makeRecord('{"not":"an event"}', { messageGroupId: "g" });
    const detail = `${detailCuttingAnEmoji()} \u0000\u001b\uFFFF`;
    expect(detail).toMatch(/\p{Cs}/u);

    // Act
    const failed = await sendToDeadLetterQueue(
      sqs.client,
      queues.dlqUrl,
      [{ record, reason: "invalid_json", detail, attempts: 1 }],
      new Date("2026-01-16T12:00:00Z"),
      NO_DEADLINE,
    );

    // Assess
    expect(failed.size).toBe(0);
    const [message] = await drainQueue(sqs.client, queues.dlqUrl);
    expect(message?.Body).toBe(record.body);
    expect(message?.MessageAttributes?.[DLQ_ATTRIBUTES.detail]?.StringValue).toBe(
      `body is not valid JSON (Unexpected token '\uFFFD', "😀 not json" is not valid JSON) \uFFFD\uFFFD\uFFFD`,
    );
  });

  it("logs the same well-formed detail", () => {
    // Prepare
    const warnings: Record<string, unknown>[] = [];
    const logger = {
      warn: (_: string, fields: Record<string, unknown>) => warnings.push(fields),
    } as unknown as Logger;
    const metrics = { addMetric: () => undefined } as unknown as Metrics;
    const telemetry = powertoolsTelemetry(logger, metrics);

    // Act
    telemetry.recordProcessed({
      messageId: "m-1",
      eventId: undefined,
      groupKey: undefined,
      groupId: undefined,
      result: { outcome: "dead_lettered", reason: "invalid_json", detail: detailCuttingAnEmoji() },
      attempts: 0,
      durationMs: 1,
    });

    // Assess
    expect(warnings[0]?.detail).toBe(
      `body is not valid JSON (Unexpected token '\uFFFD', "😀 not json" is not valid JSON)`,
    );
  });
});
