import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  parseWebhookSecretString,
  secretsManagerWebhookSecrets,
  staticWebhookSecrets,
  WebhookSecretUnavailableError,
} from "../../../functions/webhook-ingest/webhook-secrets.ts";
import { PREVIOUS_SECRET, SECRET } from "./support.ts";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hr/webhook-XyZ789";
const NEW_SECRET = "whsec_rotated_11111111111111111111111111111111";
const client = new SecretsManagerClient({});
const secretsMock = mockClient(client);

afterEach(() => {
  secretsMock.reset();
});

function failure(run: () => unknown): WebhookSecretUnavailableError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookSecretUnavailableError) return error;
    throw error;
  }
  throw new Error("expected a WebhookSecretUnavailableError");
}

function storedAs(value: string) {
  secretsMock.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: value });
}

/** A clock the test moves by hand. */
function manualClock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("parseWebhookSecretString", () => {
  it.each([
    {
      title: "JSON with both",
      stored: JSON.stringify({ current: SECRET, previous: PREVIOUS_SECRET }),
      expected: [SECRET, PREVIOUS_SECRET],
    },
    {
      title: "JSON with an empty previous",
      stored: JSON.stringify({ current: SECRET, previous: "" }),
      expected: [SECRET],
    },
    { title: "JSON without previous", stored: JSON.stringify({ current: SECRET }), expected: [SECRET] },
    { title: "plain text", stored: `  ${SECRET}\n`, expected: [SECRET] },
  ])("reads $title", ({ stored, expected }) => {
    // Act
    const secrets = parseWebhookSecretString(stored, "test secret");

    // Assess
    expect(secrets).toEqual(expected);
  });

  it.each([
    { title: "a short plain secret", stored: "tiny-secret-x" },
    { title: "JSON without current", stored: JSON.stringify({ previous: PREVIOUS_SECRET }) },
    { title: "a short previous", stored: JSON.stringify({ current: SECRET, previous: "tiny-secret-x" }) },
    { title: "a numeric current", stored: JSON.stringify({ current: 12345 }) },
    { title: "broken JSON", stored: `{"current":"${SECRET}"` },
  ])("refuses $title without quoting it", ({ stored }) => {
    // Act
    const error = failure(() => parseWebhookSecretString(stored, "test secret"));

    // Assess
    expect(error.message).toContain("test secret");
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("tiny-secret-x");
    expect(error.cause).toBeUndefined();
  });
});

describe("staticWebhookSecrets", () => {
  it("offers the current secret first, then the previous one", async () => {
    // Act
    const secrets = await staticWebhookSecrets(SECRET, PREVIOUS_SECRET).get();

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS_SECRET]);
  });

  it("refuses a short secret without quoting it", () => {
    // Act
    const error = failure(() => staticWebhookSecrets("short-secret"));

    // Assess
    expect(error.message).not.toContain("short-secret");
  });
});

describe("secretsManagerWebhookSecrets", () => {
  it("reads once, then serves the cached secrets until the cache period ends", async () => {
    // Prepare
    storedAs(JSON.stringify({ current: SECRET }));
    const clock = manualClock();
    const source = secretsManagerWebhookSecrets({ secretArn: ARN, client, cacheMs: 60_000, now: clock.now });

    // Act
    const first = await source.get();
    clock.advance(59_999);
    const second = await source.get();

    // Assess
    expect(first).toEqual([SECRET]);
    expect(second).toEqual([SECRET]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("picks up a rotation once the cache period has passed", async () => {
    // Prepare
    storedAs(JSON.stringify({ current: SECRET }));
    const clock = manualClock();
    const source = secretsManagerWebhookSecrets({ secretArn: ARN, client, cacheMs: 60_000, now: clock.now });
    await source.get();
    storedAs(JSON.stringify({ current: NEW_SECRET, previous: SECRET }));

    // Act
    clock.advance(60_000);
    const rotated = await source.get();

    // Assess
    expect(rotated).toEqual([NEW_SECRET, SECRET]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("shares one read between concurrent requests", async () => {
    // Prepare
    storedAs(SECRET);
    const source = secretsManagerWebhookSecrets({ secretArn: ARN, client });

    // Act
    const results = await Promise.all(Array.from({ length: 5 }, () => source.get()));

    // Assess
    expect(results).toEqual(Array.from({ length: 5 }, () => [SECRET]));
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("fails with the ARN but no value when nothing was read yet", async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("boom"), { name: "ResourceNotFoundException" }));
    const source = secretsManagerWebhookSecrets({ secretArn: ARN, client });

    // Act
    const result = source.get();

    // Assess
    await expect(result).rejects.toThrow(WebhookSecretUnavailableError);
    await expect(result).rejects.toThrow(`${ARN} (ResourceNotFoundException)`);
  });

  it("keeps serving the secrets it has when a re-read fails, and tries again 30 s later", async () => {
    // Prepare
    storedAs(JSON.stringify({ current: SECRET }));
    const clock = manualClock();
    const stale: string[] = [];
    const source = secretsManagerWebhookSecrets({
      secretArn: ARN,
      client,
      cacheMs: 300_000,
      now: clock.now,
      onStaleServe: (error) => stale.push(error.message),
    });
    await source.get();
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("down"), { name: "InternalServiceError" }));

    // Act
    clock.advance(300_000);
    const duringOutage = await source.get();
    clock.advance(29_999);
    const beforeRetry = await source.get();
    storedAs(JSON.stringify({ current: NEW_SECRET }));
    clock.advance(1);
    const afterRecovery = await source.get();

    // Assess
    expect(duringOutage).toEqual([SECRET]);
    expect(beforeRetry).toEqual([SECRET]);
    expect(afterRecovery).toEqual([NEW_SECRET]);
    expect(stale).toEqual([`could not read webhook secret ${ARN} (InternalServiceError)`]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });
});
