import { describe, expect, it } from "vitest";
import { loadSyncConfig } from "../../../functions/group-sync/config.ts";
import { ConfigurationError } from "../../../functions/shared/configuration.ts";

const SECRET = "vit_apk_do_not_print_me";
const valid = {
  VITABLE_CONNECT_API_KEY: SECRET,
  DLQ_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync-dlq.fifo",
};

function configError(env: Record<string, string | undefined>): ConfigurationError {
  try {
    loadSyncConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("sync configuration", () => {
  it("applies the documented defaults", () => {
    // Act
    const config = loadSyncConfig(valid);

    // Assess
    expect(config).toMatchObject({
      VITABLE_CONNECT_BASE_URL: "https://api.vitablehealth.com",
      MAX_RECEIVE_COUNT: 5,
      API_CONCURRENCY: 10,
      API_ATTEMPT_TIMEOUT_MS: 10_000,
      SDK_CONNECTION_TIMEOUT_MS: 2_000,
      SDK_REQUEST_TIMEOUT_MS: 5_000,
      LEDGER_TTL_DAYS: 30,
      LOG_LEVEL: "INFO",
    });
    expect(config.LEDGER_TABLE_NAME).toBeUndefined();
  });

  it.each([
    { title: "a missing DLQ_URL", env: { VITABLE_CONNECT_API_KEY: SECRET }, variable: "DLQ_URL" },
    { title: "no API key source", env: { DLQ_URL: valid.DLQ_URL }, variable: "VITABLE_CONNECT_API_KEY" },
    {
      title: "two API key sources",
      env: {
        ...valid,
        VITABLE_CONNECT_API_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:k-AbCdEf",
      },
      variable: "VITABLE_CONNECT_API_KEY",
    },
    {
      title: "a malformed secret ARN",
      env: { DLQ_URL: valid.DLQ_URL, VITABLE_CONNECT_API_KEY_SECRET_ARN: "my-secret" },
      variable: "VITABLE_CONNECT_API_KEY_SECRET_ARN",
    },
    {
      title: "an SDK_CONNECTION_TIMEOUT_MS of zero (no timeout at all)",
      env: { ...valid, SDK_CONNECTION_TIMEOUT_MS: "0" },
      variable: "SDK_CONNECTION_TIMEOUT_MS",
    },
    {
      title: "a non-numeric SDK_REQUEST_TIMEOUT_MS",
      env: { ...valid, SDK_REQUEST_TIMEOUT_MS: "5s" },
      variable: "SDK_REQUEST_TIMEOUT_MS",
    },
    {
      title: "a non-numeric MAX_RECEIVE_COUNT",
      env: { ...valid, MAX_RECEIVE_COUNT: "five" },
      variable: "MAX_RECEIVE_COUNT",
    },
    {
      title: "API_CONCURRENCY of zero",
      env: { ...valid, API_CONCURRENCY: "0" },
      variable: "API_CONCURRENCY",
    },
    {
      title: "a fractional timeout",
      env: { ...valid, API_ATTEMPT_TIMEOUT_MS: "1.5" },
      variable: "API_ATTEMPT_TIMEOUT_MS",
    },
    {
      title: "plain http to a remote API",
      env: { ...valid, VITABLE_CONNECT_BASE_URL: "http://api.vitablehealth.com" },
      variable: "VITABLE_CONNECT_BASE_URL",
    },
    { title: "an unknown log level", env: { ...valid, LOG_LEVEL: "LOUD" }, variable: "LOG_LEVEL" },
    {
      title: "a bad table name",
      env: { ...valid, LEDGER_TABLE_NAME: "no spaces allowed" },
      variable: "LEDGER_TABLE_NAME",
    },
  ])("rejects $title, naming $variable", ({ env, variable }) => {
    // Act
    const error = configError(env);

    // Assess
    expect(error.variables).toContain(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain(SECRET);
  });

  it.each(["not a url", " ", "api.vitablehealth.com"])(
    "reports a VITABLE_CONNECT_BASE_URL of %j as not an absolute URL (no TypeError)",
    (url) => {
      // Act
      const error = configError({ ...valid, VITABLE_CONNECT_BASE_URL: url });

      // Assess
      expect(error.message).toBe("Invalid configuration: VITABLE_CONNECT_BASE_URL: must be an absolute URL");
    },
  );

  it("accepts plain http on loopback, for the emulator", () => {
    // Act
    const config = loadSyncConfig({ ...valid, VITABLE_CONNECT_BASE_URL: "http://127.0.0.1:4010" });

    // Assess
    expect(config.VITABLE_CONNECT_BASE_URL).toBe("http://127.0.0.1:4010");
  });
});
