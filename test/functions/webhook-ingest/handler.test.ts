import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWebhookHandler,
  type WebhookHandlerDeps,
} from "../../../functions/webhook-ingest/create-handler.ts";
import type { BatchSender } from "../../../functions/webhook-ingest/enqueue.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../../../functions/webhook-ingest/signature.ts";
import {
  staticWebhookSecrets,
  WebhookSecretUnavailableError,
} from "../../../functions/webhook-ingest/webhook-secrets.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  sqsClientFor,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import { aRawEvent, type JsonObject } from "../../fixtures/events/factories.ts";
import { captureLogger, NOW_MS, OTHER_SECRET, PREVIOUS_SECRET, SECRET, signedEvent } from "./support.ts";

let sqs: EmbeddedSqs;
let queueCount = 0;

beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

async function setup(overrides: Partial<WebhookHandlerDeps> = {}) {
  queueCount += 1;
  const { queueUrl } = await createFifoQueueWithDlq(
    sqs.client,
    `webhook-handler-${process.pid}-${queueCount}`,
  );
  const logger = captureLogger();
  const handler = createWebhookHandler({
    sqs: sqs.client,
    queueUrl,
    secrets: staticWebhookSecrets(SECRET, PREVIOUS_SECRET),
    now: () => NOW_MS,
    logger,
    ...overrides,
  });
  return { handler, queueUrl, logger };
}

async function queued(queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (!Messages?.length) return messages;
    messages.push(...Messages);
    await sqs.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  }
}

function events(count: number, overrides: JsonObject = {}): JsonObject[] {
  return Array.from({ length: count }, (_, i) =>
    aRawEvent({ event_id: `hr-evt-${queueCount}-${i}`, ...overrides }),
  );
}

const json = (value: unknown) => JSON.stringify(value);

describe("webhook handler: authentication", () => {
  it.each([
    {
      title: "a tampered body",
      event: () => signedEvent(json(aRawEvent()), { signedBody: json(aRawEvent({ source: "x" })) }),
    },
    { title: "the wrong secret", event: () => signedEvent(json(aRawEvent()), { secret: OTHER_SECRET }) },
    {
      title: "an expired timestamp",
      event: () => signedEvent(json(aRawEvent()), { timestampSeconds: NOW_MS / 1000 - 301 }),
    },
    {
      title: "a future timestamp",
      event: () => signedEvent(json(aRawEvent()), { timestampSeconds: NOW_MS / 1000 + 301 }),
    },
    {
      title: "no signature headers at all",
      event: () =>
        signedEvent(json(aRawEvent()), {
          headers: { [SIGNATURE_HEADER]: undefined, [TIMESTAMP_HEADER]: undefined },
        }),
    },
    {
      title: "a malformed signature",
      event: () => signedEvent(json(aRawEvent()), { headers: { [SIGNATURE_HEADER]: "sha256=xyz" } }),
    },
    {
      title: "an invalid body with no signature",
      event: () =>
        signedEvent("{nope", { headers: { [SIGNATURE_HEADER]: undefined, [TIMESTAMP_HEADER]: undefined } }),
    },
  ])("answers 401 with the same bare body for $title, and queues nothing", async ({ event }) => {
    // Prepare
    const { handler, queueUrl, logger } = await setup();

    // Act
    const response = await handler(event());

    // Assess
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ error: "unauthorized", message: "invalid signature" });
    expect(await queued(queueUrl)).toEqual([]);
    expect(logger.lines.some((line) => line.fields.refusal !== undefined)).toBe(true);
  });

  it.each([
    {
      title: "no signature header",
      remove: SIGNATURE_HEADER,
      message:
        "missing x-group-sync-signature: a signed request carries x-group-sync-timestamp, x-group-sync-signature",
    },
    {
      title: "no timestamp header",
      remove: TIMESTAMP_HEADER,
      message:
        "missing x-group-sync-timestamp: a signed request carries x-group-sync-timestamp, x-group-sync-signature",
    },
  ])(
    "answers 401 naming the missing header for $title (half a scheme), and queues nothing",
    async (testCase) => {
      // Prepare
      const { handler, queueUrl, logger } = await setup();

      // Act
      const response = await handler(
        signedEvent(json(aRawEvent()), { headers: { [testCase.remove]: undefined } }),
      );

      // Assess
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body)).toEqual({ error: "unauthorized", message: testCase.message });
      expect(await queued(queueUrl)).toEqual([]);
      expect(logger.lines.find((line) => line.message === "webhook request")?.fields.refusal).toBe(
        "incomplete_headers",
      );
    },
  );

  it("accepts a request signed with the previous secret during a rotation, and logs which one matched", async () => {
    // Prepare
    const { handler, logger } = await setup();

    // Act
    const response = await handler(signedEvent(json(aRawEvent()), { secret: PREVIOUS_SECRET }));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(logger.lines.find((line) => line.message === "webhook request")?.fields.signed_with).toBe(
      "previous",
    );
  });

  it("answers 503 and queues nothing while the secret cannot be read", async () => {
    // Prepare
    const { handler, queueUrl } = await setup({
      secrets: {
        get: async () => {
          throw new WebhookSecretUnavailableError("could not read webhook secret arn:test (AccessDenied)");
        },
      },
    });

    // Act
    const response = await handler(signedEvent(json(aRawEvent())));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe("5");
    expect(await queued(queueUrl)).toEqual([]);
  });
});

describe("webhook handler: request checks", () => {
  it.each([
    { title: "no content type", contentType: null },
    { title: "text/plain", contentType: "text/plain" },
    { title: "form data", contentType: "application/x-www-form-urlencoded" },
    { title: "a latin-1 charset", contentType: "application/json; charset=iso-8859-1" },
  ])("answers 415 for $title", async ({ contentType }) => {
    // Prepare
    const { handler } = await setup();

    // Act
    const response = await handler(signedEvent(json(aRawEvent()), { contentType }));

    // Assess
    expect(response.statusCode).toBe(415);
    expect(JSON.parse(response.body).error).toBe("unsupported_media_type");
  });

  it.each([
    { title: "one byte over the limit", limit: 2048, bytes: 2049, status: 413 },
    { title: "exactly the limit", limit: 2048, bytes: 2048, status: 202 },
  ])(
    "judges a body of $title by its bytes before checking the signature",
    async ({ limit, bytes, status }) => {
      // Prepare
      const { handler } = await setup({ maxBodyBytes: limit });
      const text = json(aRawEvent());
      const padded = `${text}${" ".repeat(bytes - Buffer.byteLength(text))}`;

      // Act
      const response = await handler(signedEvent(padded, { secret: status === 413 ? OTHER_SECRET : SECRET }));

      // Assess
      expect(response.statusCode).toBe(status);
      if (status === 413)
        expect(JSON.parse(response.body).message).toBe(
          `the body is ${bytes} bytes; at most ${limit} bytes are accepted`,
        );
    },
  );

  it("answers 413 for more than 100 events", async () => {
    // Prepare
    const { handler, queueUrl } = await setup({ maxBodyBytes: 1_048_576 });

    // Act
    const response = await handler(signedEvent(json(events(101))));

    // Assess
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body).error).toBe("too_many_events");
    expect(await queued(queueUrl)).toEqual([]);
  });

  it.each([
    { title: "an empty array", body: "[]", message: "the array holds no events" },
    { title: "text that is not JSON", body: "{nope", message: "body is not valid JSON" },
    {
      title: "bytes that are not UTF-8",
      body: Buffer.from([0x7b, 0xff, 0x7d]),
      message: "body is not valid UTF-8",
    },
  ])("answers 400 for $title", async ({ body, message }) => {
    // Prepare
    const { handler } = await setup();

    // Act
    const response = await handler(signedEvent(body, { base64: true }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: "invalid_body",
      errors: [{ path: "", message }],
    });
  });

  it("answers 400 listing each invalid event with its field errors, and queues none of the batch", async () => {
    // Prepare
    const { handler, queueUrl } = await setup();
    const batch = [
      ...events(2),
      aRawEvent({ event_id: "bad-name", changes: { name: "x".repeat(256) } }),
      aRawEvent({ event_id: "no-group", group: undefined }),
    ];

    // Act
    const response = await handler(signedEvent(json(batch)));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: "invalid_events",
      message: "2 of 4 events are invalid; nothing was queued",
      events: [
        {
          index: 2,
          event_id: "bad-name",
          status: "rejected",
          reason: "invalid_message",
          errors: [{ path: "changes.name", message: expect.stringContaining("255") }],
        },
        {
          index: 3,
          event_id: "no-group",
          status: "rejected",
          reason: "invalid_message",
          errors: [{ path: "group", message: "is required" }],
        },
      ],
    });
    expect(await queued(queueUrl)).toEqual([]);
  });
});

describe("webhook handler: enqueueing", () => {
  it.each([
    { title: "one event", body: () => aRawEvent({ event_id: `single-${queueCount}` }), count: 1 },
    { title: "an array of 100 events", body: () => events(100), count: 100 },
    { title: "a base64-encoded array", body: () => events(3), count: 3, base64: true },
  ])("answers 202 for $title and queues each", async ({ body, count, base64 }) => {
    // Prepare
    const { handler, queueUrl } = await setup({ maxBodyBytes: 1_048_576 });
    const sent = body();

    // Act
    const response = await handler(signedEvent(json(sent), { base64 }));

    // Assess
    expect(response.statusCode).toBe(202);
    const answer = JSON.parse(response.body) as { accepted: number; failed: number; events: JsonObject[] };
    expect(answer.accepted).toBe(count);
    expect(answer.failed).toBe(0);
    expect(answer.events.map((e) => e.status)).toEqual(Array(count).fill("accepted"));
    const bodies = (await queued(queueUrl)).map((m) => JSON.parse(m.Body ?? "null"));
    expect(bodies).toHaveLength(count);
    expect(bodies).toEqual(expect.arrayContaining(Array.isArray(sent) ? sent : [sent]));
  });

  it("answers 202 naming exactly the events SQS refused", async () => {
    // Prepare
    const refusing: BatchSender = {
      send: async (command) => {
        const output = await sqs.client.send(command);
        const refused = new Set(["1", "4"]);
        return {
          ...output,
          Successful: output.Successful?.filter((entry) => !refused.has(entry.Id ?? "")),
          Failed: [...refused].map((Id) => ({ Id, Code: "ThrottlingException", SenderFault: false })),
        };
      },
    };
    const { handler, logger } = await setup({ sqs: refusing });
    const batch = events(6);

    // Act
    const response = await handler(signedEvent(json(batch)));

    // Assess
    expect(response.statusCode).toBe(202);
    const answer = JSON.parse(response.body) as { accepted: number; failed: number; events: JsonObject[] };
    expect(answer).toMatchObject({ accepted: 4, failed: 2 });
    expect(answer.events.filter((e) => e.status === "failed")).toEqual([
      { index: 1, event_id: batch[1]?.event_id, status: "failed", reason: "queue_refused" },
      { index: 4, event_id: batch[4]?.event_id, status: "failed", reason: "queue_refused" },
    ]);
    expect(logger.lines.find((line) => line.message === "events not queued")?.fields.failures).toEqual([
      { index: 1, reason: "queue_refused", code: "ThrottlingException" },
      { index: 4, reason: "queue_refused", code: "ThrottlingException" },
    ]);
  });

  it("answers 503 with every event failed when SQS is unreachable", async () => {
    // Prepare
    const stopped = await startEmbeddedSqs();
    await stopped.stop();
    const { handler } = await setup({ sqs: sqsClientFor(stopped.endpoint) });

    // Act
    const response = await handler(signedEvent(json(events(3))));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe("5");
    const answer = JSON.parse(response.body) as { accepted: number; failed: number; events: JsonObject[] };
    expect(answer).toMatchObject({ error: "unavailable", accepted: 0, failed: 3 });
    expect(answer.events.map((e) => e.reason)).toEqual(Array(3).fill("queue_unreachable"));
  });
});

describe("webhook handler: logging", () => {
  it("never logs a secret or a signature, and logs the body only at debug level", async () => {
    // Prepare
    const { handler, logger } = await setup();
    const accepted = signedEvent(json(aRawEvent({ event_id: "log-accepted" })));
    const refused = signedEvent(json(aRawEvent({ event_id: "log-refused" })), { secret: OTHER_SECRET });

    // Act
    await handler(accepted);
    await handler(refused);

    // Assess
    const text = logger.text();
    for (const secret of [SECRET, PREVIOUS_SECRET, OTHER_SECRET]) expect(text).not.toContain(secret);
    for (const event of [accepted, refused]) {
      const signature = event.headers[SIGNATURE_HEADER] as string;
      expect(text).not.toContain(signature.slice("sha256=".length));
    }
    // The body's text appears JSON-escaped inside a log line only where the raw body itself was logged.
    const withBody = logger.lines.filter((line) => JSON.stringify(line.fields).includes('log-accepted\\"'));
    expect(withBody.map((line) => line.level)).toEqual(["debug"]);
    expect(text).not.toContain("log-refused");
  });
});
