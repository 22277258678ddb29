import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ApiKeyUnavailableError,
  secretsManagerApiKey,
  staticApiKey,
} from "../../../../functions/shared/vitable/api-key.ts";

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable-api-key-AbCdEf";
const KEY = "vit_apk_unit_secret_value_1";
const ROTATED_KEY = "vit_apk_unit_secret_value_2";

const secretsMock = mockClient(SecretsManagerClient);

function provider() {
  return secretsManagerApiKey(SECRET_ARN, new SecretsManagerClient({}));
}

async function captureError(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to fail");
}

// The double replaces SecretsManagerClient's send for the whole worker until restored; later files need the real one.
afterAll(() => secretsMock.restore());

afterEach(() => {
  secretsMock.reset();
});

describe("staticApiKey", () => {
  it("returns the same key from get and refresh", async () => {
    // Prepare
    const keys = staticApiKey(KEY);

    // Act
    const values = [await keys.get(), await keys.refresh()];

    // Assess
    expect(values).toEqual([KEY, KEY]);
  });

  it.each([
    { name: "empty", key: "" },
    { name: "with a newline", key: `${KEY}\nX-Injected: 1` },
    { name: "with a space", key: "vit_apk_ a" },
  ])("rejects a key $name without quoting it", ({ key }) => {
    // Act
    const act = () => staticApiKey(key);

    // Assess
    expect(act).toThrow(ApiKeyUnavailableError);
    try {
      act();
    } catch (error) {
      expect(String(error)).not.toContain("vit_apk_");
    }
  });
});

describe("secretsManagerApiKey", () => {
  it.each([
    { name: "a raw key", secretString: KEY },
    { name: "a raw key with a trailing newline", secretString: `${KEY}\n` },
    { name: "JSON with apiKey", secretString: JSON.stringify({ apiKey: KEY }) },
    {
      name: "JSON with other fields too",
      secretString: JSON.stringify({ apiKey: KEY, note: "rotated monthly" }),
    },
  ])("reads $name", async ({ secretString }) => {
    // Prepare
    secretsMock.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: secretString });

    // Act
    const key = await provider().get();

    // Assess
    expect(key).toBe(KEY);
  });

  it.each([
    { name: "get", read: (keys: ReturnType<typeof provider>) => keys.get({ remainingMs: () => 0 }) },
    { name: "refresh", read: (keys: ReturnType<typeof provider>) => keys.refresh({ remainingMs: () => -5 }) },
  ])("$name starts no read once the deadline has passed", async ({ read }) => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: KEY });

    // Act
    const error = await captureError(() => read(provider()));

    // Assess
    expect(error).toBeInstanceOf(ApiKeyUnavailableError);
    expect((error as Error).message).toBe(
      `no time left in this invocation to read Vitable API key secret ${SECRET_ARN}`,
    );
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("caches the key across get calls, including concurrent ones", async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: KEY });
    const keys = provider();

    // Act
    const values = await Promise.all([keys.get(), keys.get(), keys.get()]);
    await keys.get();

    // Assess
    expect(values).toEqual([KEY, KEY, KEY]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("refresh re-reads the secret and later gets return the rotated key", async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: KEY })
      .resolvesOnce({ SecretString: ROTATED_KEY });
    const keys = provider();
    await keys.get();

    // Act
    const refreshed = await keys.refresh();
    const afterwards = await keys.get();

    // Assess
    expect([refreshed, afterwards]).toEqual([ROTATED_KEY, ROTATED_KEY]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("does not cache a failed read", async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }))
      .resolvesOnce({ SecretString: KEY });
    const keys = provider();
    await captureError(() => keys.get());

    // Act
    const key = await keys.get();

    // Assess
    expect(key).toBe(KEY);
  });

  const badSecrets = [
    { name: "binary secret", output: { SecretBinary: new Uint8Array([1, 2]) }, mentions: "no SecretString" },
    { name: "broken JSON", output: { SecretString: `{"apiKey": "${KEY}"` }, mentions: "not valid JSON" },
    {
      name: "JSON without apiKey",
      output: { SecretString: JSON.stringify({ key: KEY }) },
      mentions: '"apiKey"',
    },
    { name: "JSON with a numeric apiKey", output: { SecretString: '{"apiKey": 42}' }, mentions: '"apiKey"' },
    { name: "empty string", output: { SecretString: "  " }, mentions: "empty" },
  ];

  it.each(badSecrets)("reports $name with the ARN and without the value", async ({ output, mentions }) => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).resolves(output);

    // Act
    const error = await captureError(() => provider().get());

    // Assess
    expect(error).toBeInstanceOf(ApiKeyUnavailableError);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(text).toContain(SECRET_ARN);
    expect(text).toContain(mentions);
    expect(text).not.toContain("vit_apk_");
  });

  it("reports an AWS failure with the ARN and the error name", async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("Access denied"), { name: "AccessDeniedException" }));

    // Act
    const error = await captureError(() => provider().get());

    // Assess
    expect(error).toBeInstanceOf(ApiKeyUnavailableError);
    expect((error as Error).message).toContain(SECRET_ARN);
    expect((error as Error).message).toContain("AccessDeniedException");
  });
});
