import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../functions/shared/configuration.ts";
import { loadWebhookConfig } from "../../../functions/webhook-ingest/config.ts";
import { PREVIOUS_SECRET, SECRET } from "./support.ts";

const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync.fifo";
const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hr/webhook-XyZ789";
const valid = { SOURCE_QUEUE_URL: QUEUE_URL, WEBHOOK_SECRET_ARN: ARN };

function configError(env: Record<string, string | undefined>): ConfigurationError {
  try {
    loadWebhookConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("webhook configuration", () => {
  it("applies the documented defaults", () => {
    // Act
    const config = loadWebhookConfig(valid);

    // Assess
    expect(config).toEqual({
      ...valid,
      WEBHOOK_SECRET_CACHE_SECONDS: 300,
      MAX_BODY_BYTES: 262_144,
      LOG_LEVEL: "INFO",
    });
  });

  it("reads local secrets and limits", () => {
    // Act
    const config = loadWebhookConfig({
      SOURCE_QUEUE_URL: QUEUE_URL,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_SECRET_PREVIOUS: PREVIOUS_SECRET,
      MAX_BODY_BYTES: "4096",
      WEBHOOK_SECRET_CACHE_SECONDS: "0",
      LOG_LEVEL: "debug",
    });

    // Assess
    expect(config).toMatchObject({
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_SECRET_PREVIOUS: PREVIOUS_SECRET,
      MAX_BODY_BYTES: 4096,
      WEBHOOK_SECRET_CACHE_SECONDS: 0,
      LOG_LEVEL: "DEBUG",
    });
  });

  it.each([
    { title: "no queue", env: { WEBHOOK_SECRET_ARN: ARN }, variable: "SOURCE_QUEUE_URL" },
    { title: "no secret source", env: { SOURCE_QUEUE_URL: QUEUE_URL }, variable: "WEBHOOK_SECRET" },
    { title: "two secret sources", env: { ...valid, WEBHOOK_SECRET: SECRET }, variable: "WEBHOOK_SECRET" },
    {
      title: "a short secret",
      env: { SOURCE_QUEUE_URL: QUEUE_URL, WEBHOOK_SECRET: "hunter2-hunter2" },
      variable: "WEBHOOK_SECRET",
    },
    {
      title: "a previous secret beside a secret ARN",
      env: { ...valid, WEBHOOK_SECRET_PREVIOUS: PREVIOUS_SECRET },
      variable: "WEBHOOK_SECRET_PREVIOUS",
    },
    {
      title: "a malformed ARN",
      env: { ...valid, WEBHOOK_SECRET_ARN: "hr/webhook" },
      variable: "WEBHOOK_SECRET_ARN",
    },
    { title: "a tiny body limit", env: { ...valid, MAX_BODY_BYTES: "100" }, variable: "MAX_BODY_BYTES" },
    { title: "a huge body limit", env: { ...valid, MAX_BODY_BYTES: "6000000" }, variable: "MAX_BODY_BYTES" },
    { title: "an unknown log level", env: { ...valid, LOG_LEVEL: "LOUD" }, variable: "LOG_LEVEL" },
  ])("refuses $title, naming $variable and never a value", ({ env, variable }) => {
    // Act
    const error = configError(env);

    // Assess
    expect(error.variables).toContain(variable);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(PREVIOUS_SECRET);
    expect(error.message).not.toContain("hunter2");
  });
});
