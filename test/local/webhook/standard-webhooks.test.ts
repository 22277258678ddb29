import type { Message } from "@aws-sdk/client-sqs";
import { CloudEvent, HTTP } from "cloudevents";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signatureHeaders } from "../../../functions/webhook-ingest/signature.ts";
import { staticWebhookSecrets } from "../../../functions/webhook-ingest/webhook-secrets.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "../../../local/webhook/index.ts";
import { aRawEvent, type JsonObject } from "../../fixtures/events/factories.ts";
import { captureLogger } from "../../functions/webhook-ingest/support.ts";
import { drainQueue } from "../../support/drain-queue.ts";

/** Secrets as a Standard Webhooks sender issues them: whsec_ and base64 key bytes. */
const CURRENT = `whsec_${Buffer.from("standard-current-key-0123456789").toString("base64")}`;
const PREVIOUS = `whsec_${Buffer.from("standard-previous-key-012345678").toString("base64")}`;
const ATTACKER = `whsec_${Buffer.from("standard-attacker-key-012345678").toString("base64")}`;

let sqs: EmbeddedSqs;
let webhook: RunningLocalWebhook | undefined;
let queueCount = 0;

beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});
afterEach(async () => {
  await webhook?.stop();
  webhook = undefined;
});

/** The local webhook server (the real handler behind a loopback HTTP port) queueing onto a fresh fauxqs FIFO queue. */
async function start(
  secrets: { current: string; previous?: string } = { current: CURRENT, previous: PREVIOUS },
) {
  queueCount += 1;
  const { queueUrl } = await createFifoQueueWithDlq(
    sqs.client,
    `standard-webhooks-${process.pid}-${queueCount}`,
  );
  const logger = captureLogger();
  webhook = await startLocalWebhook({
    handlerDeps: {
      sqs: sqs.client,
      queueUrl,
      secrets: staticWebhookSecrets(secrets.current, secrets.previous),
      logger,
    },
  });
  const requestLog = () => logger.lines.filter((line) => line.message === "webhook request").at(-1)?.fields;
  return { url: webhook.url, queueUrl, logger, requestLog };
}

/** Signs as a Standard Webhooks sender does: the standardwebhooks package over the body text it then sends. */
function standardHeaders(
  body: string,
  options: { secret?: string; id?: string; at?: Date; signature?: (signed: string) => string } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${queueCount}_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  const signed = new Webhook(options.secret ?? CURRENT).sign(id, at, body);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": options.signature ? options.signature(signed) : signed,
  };
}

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as JsonObject };
}

const bodyOf = (events: JsonObject[]) => JSON.stringify(events);
const eventIdsIn = (messages: Message[]) =>
  messages.map((message) => (JSON.parse(message.Body as string) as JsonObject).event_id);

function someEvents(count: number, prefix: string): JsonObject[] {
  return Array.from({ length: count }, (_, i) =>
    aRawEvent({ event_id: `${prefix}-${queueCount}-${i}`, group: { id: `grp_Std${i}` } }),
  );
}

describe("Standard Webhooks on the local webhook server", () => {
  it("accepts a request signed by the standardwebhooks package and queues its events", async () => {
    // Prepare
    const { url, queueUrl, requestLog } = await start();
    const events = someEvents(2, "ok");
    const body = bodyOf(events);

    // Act
    const response = await post(url, body, standardHeaders(body, { id: "msg_accepted_1" }));

    // Assess
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: 2, failed: 0 });
    expect(eventIdsIn(await drainQueue(sqs.client, queueUrl))).toEqual(events.map((event) => event.event_id));
    expect(requestLog()).toMatchObject({
      scheme: "standard",
      signed_with: "current",
      webhook_id: "msg_accepted_1",
    });
  });

  it.each([
    {
      title: "a tampered body",
      send: (body: string) => ({ body: body.replace("Tier 1", "Hijacked"), headers: standardHeaders(body) }),
      refusal: "mismatch",
    },
    {
      title: "an expired timestamp (5 minutes and 10 seconds old)",
      send: (body: string) => ({
        body,
        headers: standardHeaders(body, { at: new Date(Date.now() - 310_000) }),
      }),
      refusal: "stale_timestamp",
    },
    {
      title: "a timestamp 5 minutes and 10 seconds in the future",
      send: (body: string) => ({
        body,
        headers: standardHeaders(body, { at: new Date(Date.now() + 310_000) }),
      }),
      refusal: "stale_timestamp",
    },
    {
      title: "a secret we do not hold",
      send: (body: string) => ({ body, headers: standardHeaders(body, { secret: ATTACKER }) }),
      refusal: "mismatch",
    },
    {
      title: "the right signature under an unknown version (v1a)",
      send: (body: string) => ({
        body,
        headers: standardHeaders(body, { signature: (signed) => signed.replace(/^v1,/, "v1a,") }),
      }),
      refusal: "no_v1_signature",
    },
  ])("answers 401 invalid signature for $title and queues nothing", async ({ send, refusal }) => {
    // Prepare
    const { url, queueUrl, requestLog } = await start();
    const request = send(bodyOf(someEvents(1, "refused")));

    // Act
    const response = await post(url, request.body, request.headers);

    // Assess
    expect(response).toEqual({ status: 401, body: { error: "unauthorized", message: "invalid signature" } });
    expect(await drainQueue(sqs.client, queueUrl)).toEqual([]);
    expect(requestLog()).toMatchObject({ scheme: "standard", refusal });
  });

  it.each([
    { title: "4 minutes 50 seconds old", offsetMs: -290_000 },
    { title: "4 minutes 50 seconds ahead", offsetMs: 290_000 },
  ])("accepts a timestamp $title (within the tolerance)", async ({ offsetMs }) => {
    // Prepare
    const { url } = await start();
    const body = bodyOf(someEvents(1, "edge"));

    // Act
    const response = await post(url, body, standardHeaders(body, { at: new Date(Date.now() + offsetMs) }));

    // Assess
    expect(response.status).toBe(202);
  });

  it("accepts, during a rotation, a request signed with the previous secret and logs that it was", async () => {
    // Prepare
    const { url, requestLog } = await start();
    const body = bodyOf(someEvents(1, "rotated"));

    // Act
    const response = await post(url, body, standardHeaders(body, { secret: PREVIOUS }));

    // Assess
    expect(response.status).toBe(202);
    expect(requestLog()).toMatchObject({ scheme: "standard", signed_with: "previous" });
  });

  it("accepts a header with several entries (a sender mid-rotation) when one matches, beside a v1a entry", async () => {
    // Prepare
    const { url, requestLog } = await start();
    const body = bodyOf(someEvents(1, "multi"));
    const id = "msg_multi_entry";
    const at = new Date();
    const oldKey = new Webhook(ATTACKER).sign(id, at, body);
    const newKey = new Webhook(CURRENT).sign(id, at, body);
    const headers = standardHeaders(body, {
      id,
      at,
      signature: () => `${oldKey} v1a,${"Z".repeat(86)}== ${newKey}`,
    });

    // Act
    const response = await post(url, body, headers);

    // Assess
    expect(response.status).toBe(202);
    expect(requestLog()).toMatchObject({ signed_with: "current" });
  });

  it("refuses with a clear message a Standard Webhooks request when no secret is of the whsec_ form", async () => {
    // Prepare
    const { url, requestLog } = await start({ current: "plain-group-sync-secret-0123456789abcdef" });
    const body = bodyOf(someEvents(1, "nokey"));

    // Act
    const response = await post(url, body, standardHeaders(body));

    // Assess
    expect(response.status).toBe(401);
    expect(requestLog()).toMatchObject({ scheme: "standard", refusal: "no_standard_secret" });
  });

  it.each([
    { title: "webhook-id missing", remove: ["webhook-id"], missing: "webhook-id" },
    { title: "webhook-timestamp missing", remove: ["webhook-timestamp"], missing: "webhook-timestamp" },
    {
      title: "only webhook-signature",
      remove: ["webhook-id", "webhook-timestamp"],
      missing: "webhook-id and webhook-timestamp",
    },
  ])("answers 401 naming what is missing for a half set: $title", async ({ remove, missing }) => {
    // Prepare
    const { url, queueUrl } = await start();
    const body = bodyOf(someEvents(1, "half"));
    const headers = standardHeaders(body);
    for (const name of remove) delete headers[name];

    // Act
    const response = await post(url, body, headers);

    // Assess
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: "unauthorized",
      message: `missing ${missing}: a signed request carries webhook-id, webhook-timestamp, webhook-signature`,
    });
    expect(await drainQueue(sqs.client, queueUrl)).toEqual([]);
  });

  it("answers 401 with a clear message when a request carries both schemes, even if each is valid", async () => {
    // Prepare
    const { url, queueUrl, requestLog } = await start();
    const body = bodyOf(someEvents(1, "both"));
    const headers = { ...standardHeaders(body), ...signatureHeaders(CURRENT, body, Date.now() / 1000) };

    // Act
    const response = await post(url, body, headers);

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(
      /^the request carries headers of two signature schemes; send either/,
    );
    expect(await drainQueue(sqs.client, queueUrl)).toEqual([]);
    expect(requestLog()).toMatchObject({ refusal: "mixed_schemes" });
  });

  it("keeps the group-sync scheme working with the same whsec_ secret", async () => {
    // Prepare
    const { url, requestLog } = await start();
    const body = bodyOf(someEvents(1, "legacy"));

    // Act
    const response = await post(url, body, signatureHeaders(CURRENT, body, Date.now() / 1000));

    // Assess
    expect(response.status).toBe(202);
    expect(requestLog()).toMatchObject({ scheme: "group-sync", signed_with: "current" });
  });
});

describe("Standard Webhooks retries are idempotent (fauxqs FIFO deduplication)", () => {
  it("queues nothing new for a retried delivery (same webhook-id, new timestamp) and still answers 202", async () => {
    // Prepare
    const { url, queueUrl } = await start();
    const events = someEvents(3, "retried");
    const body = bodyOf(events);
    const first = await post(url, body, standardHeaders(body, { id: "msg_retry_1" }));

    // Act
    const retry = await post(
      url,
      body,
      standardHeaders(body, { id: "msg_retry_1", at: new Date(Date.now() + 2_000) }),
    );

    // Assess
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ accepted: 3, failed: 0 });
    expect(eventIdsIn(await drainQueue(sqs.client, queueUrl))).toEqual(events.map((event) => event.event_id));
  });

  it("queues a new delivery of the same events (another webhook-id), leaving duplicates to the ledger", async () => {
    // Prepare
    const { url, queueUrl } = await start();
    const events = someEvents(1, "redelivered");
    const body = bodyOf(events);
    await post(url, body, standardHeaders(body, { id: "msg_first" }));

    // Act
    const second = await post(url, body, standardHeaders(body, { id: "msg_second" }));

    // Assess
    expect(second.status).toBe(202);
    expect(eventIdsIn(await drainQueue(sqs.client, queueUrl))).toEqual([
      events[0]?.event_id,
      events[0]?.event_id,
    ]);
  });

  it("queues, rather than drops, different content sent under a reused webhook-id", async () => {
    // Prepare
    const { url, queueUrl } = await start();
    const [event] = someEvents(1, "reused");
    const first = bodyOf([aRawEvent({ ...event, changes: { name: "First" } })]);
    const second = bodyOf([aRawEvent({ ...event, event_id: "reused-other", changes: { name: "Second" } })]);
    await post(url, first, standardHeaders(first, { id: "msg_reused" }));

    // Act
    const response = await post(url, second, standardHeaders(second, { id: "msg_reused" }));

    // Assess
    expect(response.status).toBe(202);
    expect(eventIdsIn(await drainQueue(sqs.client, queueUrl))).toEqual([event?.event_id, "reused-other"]);
  });
});

describe("CloudEvents through the webhook", () => {
  it("accepts a structured-mode CloudEvent as the SDK sends it over HTTP, signed with Standard Webhooks", async () => {
    // Prepare
    const { url, queueUrl, requestLog } = await start();
    const inner = aRawEvent({ event_id: "ce-inner-1" });
    const message = HTTP.structured(
      new CloudEvent({
        type: "com.example.hr.group.renamed",
        source: "/hr/workday",
        id: "ce-1",
        data: inner,
      }),
    );
    const body = message.body as string;

    // Act
    const response = await fetch(url, {
      method: "POST",
      headers: { ...(message.headers as Record<string, string>), ...standardHeaders(body) },
      body,
    });

    // Assess
    expect(response.status).toBe(202);
    const [queued] = await drainQueue(sqs.client, queueUrl);
    expect(JSON.parse(queued?.Body as string)).toEqual(JSON.parse(body));
    expect(requestLog()).toMatchObject({
      envelopes: ["cloudevents"],
      cloudevent_types: ["com.example.hr.group.renamed"],
      event_ids: ["ce-inner-1"],
    });
  });

  it("refuses a broken CloudEvent with a 400 that names the attribute, and queues nothing", async () => {
    // Prepare
    const { url, queueUrl } = await start();
    const body = JSON.stringify({ specversion: "1.0", type: "t", source: "/s", data: aRawEvent() });

    // Act
    const response = await post(url, body, standardHeaders(body));

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: "invalid_events",
      events: [{ index: 0, reason: "invalid_message", errors: [{ path: "id", message: "is required" }] }],
    });
    expect(await drainQueue(sqs.client, queueUrl)).toEqual([]);
  });
});
