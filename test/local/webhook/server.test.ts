import { request } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import type { BatchSender } from "../../../functions/webhook-ingest/enqueue.ts";
import { signatureHeaders } from "../../../functions/webhook-ingest/signature.ts";
import { staticWebhookSecrets } from "../../../functions/webhook-ingest/webhook-secrets.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "../../../local/webhook/index.ts";
import { aRawEvent } from "../../fixtures/events/factories.ts";

const SECRET = "whsec_local_adapter_0123456789abcdef0123456789";

let webhook: RunningLocalWebhook | undefined;
afterEach(async () => {
  await webhook?.stop();
  webhook = undefined;
});

/** An SQS stand-in that records entries and accepts them all: these tests are about the HTTP adapter. */
function recordingSqs() {
  const bodies: string[] = [];
  const sender: BatchSender = {
    send: async (command) => {
      const entries = command.input.Entries ?? [];
      bodies.push(...entries.map((entry) => entry.MessageBody ?? ""));
      return {
        $metadata: {},
        Successful: entries.map((entry) => ({
          Id: entry.Id,
          MessageId: `m-${entry.Id}`,
          MD5OfMessageBody: "",
        })),
        Failed: [],
      };
    },
  };
  return { sender, bodies };
}

async function start(now = Date.now) {
  const sqs = recordingSqs();
  webhook = await startLocalWebhook({
    handlerDeps: {
      sqs: sqs.sender,
      queueUrl: "http://127.0.0.1/queue.fifo",
      secrets: staticWebhookSecrets(SECRET),
      now,
    },
  });
  return { webhook, bodies: sqs.bodies };
}

/** A raw HTTP request, so that headers and body bytes go out exactly as written. */
function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Buffer },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target = new URL(options.path ?? "", url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? "POST", headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("local webhook adapter", () => {
  it("listens on loopback and serves the route at /events", async () => {
    // Act
    const { webhook } = await start();

    // Assess
    expect(webhook.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/);
    expect(webhook.port).toBeGreaterThan(0);
  });

  it.each([
    {
      title: "pretty-printed JSON with CRLF line ends",
      text: `${JSON.stringify(aRawEvent(), null, 2).replace(/\n/g, "\r\n")}\r\n`,
    },
    {
      title: "escaped and unescaped non-ASCII text",
      text: JSON.stringify(aRawEvent({ source: "Zürich \\u00fc 🇨🇭" })).replace("\\\\u", "\\u"),
    },
    { title: "a leading byte order mark", text: `\uFEFF${JSON.stringify(aRawEvent())}` },
  ])("hands the handler the body bytes unchanged, so the signature holds: $title", async ({ text }) => {
    // Prepare
    const { webhook, bodies } = await start();
    const body = Buffer.from(text, "utf8");

    // Act
    const response = await send(webhook.url, {
      headers: { "content-type": "application/json", ...signatureHeaders(SECRET, body, Date.now() / 1000) },
      body,
    });

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(bodies).toHaveLength(1);
  });

  it("passes the handler's refusal through unchanged", async () => {
    // Prepare
    const { webhook } = await start();

    // Act
    const response = await send(webhook.url, {
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(aRawEvent())),
    });

    // Assess
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ error: "unauthorized", message: "invalid signature" });
  });

  it.each([
    { title: "GET /events", method: "GET", path: "/events" },
    { title: "POST /", method: "POST", path: "/" },
    { title: "POST /events/extra", method: "POST", path: "/events/extra" },
  ])("answers $title with 404 like API Gateway", async ({ method, path }) => {
    // Prepare
    const { webhook, bodies } = await start();

    // Act
    const response = await send(webhook.url, { method, path, body: Buffer.from("{}") });

    // Assess
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ message: "Not Found" });
    expect(bodies).toEqual([]);
  });
});

describe("toApiGatewayEvent", () => {
  it("lowercases header names, joins repeated headers with commas and keeps the query string", async () => {
    // Prepare
    let seen: APIGatewayProxyEventV2 | undefined;
    const { toApiGatewayEvent } = await import("../../../local/webhook/api-gateway-event.ts");
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      seen = toApiGatewayEvent(req, Buffer.from("abc"));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };

    // Act
    await send(`http://127.0.0.1:${port}`, {
      path: "/events?a=1&b=2",
      headers: { "X-Custom": ["one", "two"], "Content-Type": "application/json" },
      body: Buffer.from("abc"),
    });
    await new Promise((resolve) => server.close(resolve));

    // Assess
    expect(seen).toMatchObject({
      version: "2.0",
      routeKey: "POST /events",
      rawPath: "/events",
      rawQueryString: "a=1&b=2",
      isBase64Encoded: true,
      body: Buffer.from("abc").toString("base64"),
      headers: { "x-custom": "one,two", "content-type": "application/json" },
      requestContext: { http: { method: "POST", path: "/events", sourceIp: "127.0.0.1" }, stage: "$default" },
    });
  });
});
