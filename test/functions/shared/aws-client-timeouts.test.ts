import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awsClientTimeouts } from "../../../functions/shared/aws-client-timeouts.ts";
import { type SilentEndpoint, startSilentEndpoint } from "../../support/silent-endpoint.ts";

let silent: SilentEndpoint;
beforeEach(async () => {
  silent = await startSilentEndpoint();
});
afterEach(async () => {
  await silent.stop();
});

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

const local = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

describe("awsClientTimeouts", () => {
  it.each([
    {
      name: "SQS",
      call: (endpoint: string) =>
        new SQSClient({
          ...local,
          endpoint,
          maxAttempts: 1,
          ...awsClientTimeouts({ connectionTimeoutMs: 500, requestTimeoutMs: 300 }),
        }).send(new SendMessageCommand({ QueueUrl: `${endpoint}/123456789012/q`, MessageBody: "x" })),
    },
    {
      name: "Secrets Manager",
      call: (endpoint: string) =>
        new SecretsManagerClient({
          ...local,
          endpoint,
          maxAttempts: 1,
          ...awsClientTimeouts({ connectionTimeoutMs: 500, requestTimeoutMs: 300 }),
        }).send(new GetSecretValueCommand({ SecretId: "s" })),
    },
  ])(
    "makes a $name call to a silent endpoint fail with TimeoutError instead of waiting for ever",
    async ({ call }) => {
      // Act
      const error = await rejectionOf(call(silent.url));

      // Assess
      expect(error.name).toBe("TimeoutError");
      expect(error.message).toContain("300 ms requestTimeout");
      expect(silent.connections()).toBe(1);
    },
  );
});
