import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadWebhookConfig } from "../../../functions/webhook-ingest/config.ts";
import { createWebhookRuntime } from "../../../functions/webhook-ingest/create-runtime.ts";
import { type SilentEndpoint, startSilentEndpoint } from "../../support/silent-endpoint.ts";
import { signedEvent } from "./support.ts";

let silent: SilentEndpoint;
beforeEach(async () => {
  silent = await startSilentEndpoint();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await silent.stop();
});

describe("webhook with a Secrets Manager that accepts connections and never answers", () => {
  it("answers 503 after two bounded attempts instead of waiting until Lambda kills it", async () => {
    // Prepare
    vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", silent.url);
    const { handler } = createWebhookRuntime(
      loadWebhookConfig({
        SOURCE_QUEUE_URL: "http://127.0.0.1:9/123456789012/unused.fifo",
        WEBHOOK_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:webhook-AbCdEf",
        LOG_LEVEL: "SILENT",
      }),
    );

    // Act
    const response = await handler(signedEvent(JSON.stringify({ events: [] })));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(silent.connections()).toBe(2);
  });
});
