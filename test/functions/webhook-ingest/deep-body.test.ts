import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../../functions/shared/contract/index.ts";
import { createWebhookHandler } from "../../../functions/webhook-ingest/create-handler.ts";
import { parseEventBatch } from "../../../functions/webhook-ingest/parse-batch.ts";
import { staticWebhookSecrets } from "../../../functions/webhook-ingest/webhook-secrets.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import { aRawEvent, bodyOf } from "../../fixtures/events/factories.ts";
import { captureLogger, NOW_MS, SECRET, signedEvent } from "./support.ts";

/** `levels` arrays nested in each other. */
const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

/** A valid event whose unknown key holds nested arrays, so the event is `depth` levels deep. */
function eventOfDepth(depth: number): string {
  return bodyOf(aRawEvent({ event_id: `deep-${depth}` })).replace(/}$/, `,"extra":${nested(depth - 1)}}`);
}

const LIMIT_ISSUE = {
  path: "",
  message: `body nests arrays and objects over the ${MAX_JSON_DEPTH}-level limit`,
};

describe("parseEventBatch and nesting depth", () => {
  it.each([
    { title: "an event at the limit", body: eventOfDepth(MAX_JSON_DEPTH) },
    {
      title: "an array holding an event one level under the limit",
      body: `[${eventOfDepth(MAX_JSON_DEPTH - 1)}]`,
    },
  ])("accepts $title", ({ body }) => {
    // Act
    const result = parseEventBatch(body);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    { title: "an event one level over", body: eventOfDepth(MAX_JSON_DEPTH + 1) },
    { title: "an array holding an event at the limit", body: `[${eventOfDepth(MAX_JSON_DEPTH)}]` },
    { title: "4,100 levels (where JSON.stringify overflowed)", body: eventOfDepth(4_100) },
    { title: "130,000 levels", body: eventOfDepth(130_000) },
  ])("refuses $title as a body problem naming the limit", ({ body }) => {
    // Act
    const result = parseEventBatch(body);

    // Assess
    expect(result).toEqual({ ok: false, problem: "body", issues: [LIMIT_ISSUE] });
  });
});

describe("the webhook and a deeply nested signed body", () => {
  let sqs: EmbeddedSqs;
  beforeAll(async () => {
    sqs = await startEmbeddedSqs();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  async function queued(queueUrl: string): Promise<Message[]> {
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length > 0) {
      await sqs.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    return Messages;
  }

  it.each([
    { depth: MAX_JSON_DEPTH, status: 202, queuedCount: 1 },
    { depth: MAX_JSON_DEPTH + 1, status: 400, queuedCount: 0 },
    { depth: 5_000, status: 400, queuedCount: 0 },
  ])("answers $status to an event $depth levels deep", async ({ depth, status, queuedCount }) => {
    // Prepare
    const { queueUrl } = await createFifoQueueWithDlq(sqs.client, `webhook-deep-${process.pid}-${depth}`);
    const handler = createWebhookHandler({
      sqs: sqs.client,
      queueUrl,
      secrets: staticWebhookSecrets(SECRET),
      now: () => NOW_MS,
      logger: captureLogger(),
    });

    // Act
    const response = await handler(signedEvent(eventOfDepth(depth)));

    // Assess
    expect(response.statusCode).toBe(status);
    if (status === 400) {
      expect(JSON.parse(response.body)).toMatchObject({ error: "invalid_body", errors: [LIMIT_ISSUE] });
    }
    expect(await queued(queueUrl)).toHaveLength(queuedCount);
  });
});
