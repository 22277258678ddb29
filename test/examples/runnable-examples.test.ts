import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { staticWebhookSecrets } from "../../functions/webhook-ingest/webhook-secrets.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "../../local/webhook/index.ts";
import { type SyncHarness, startSyncHarness } from "../support/sync-harness.ts";

const run = promisify(execFile);
const SECRET = "whsec_examples_0123456789abcdef0123456789abcdef";
/** A Standard Webhooks secret: whsec_ and the base64 of the key bytes. */
const STANDARD_SECRET = `whsec_${Buffer.from("examples-standard-webhooks-key-32b").toString("base64")}`;

let harness: SyncHarness | undefined;
let webhook: RunningLocalWebhook | undefined;
afterEach(async () => {
  await webhook?.stop();
  await harness?.stop();
  webhook = undefined;
  harness = undefined;
});

// The docs quote these files whole (npm run docs); running them here keeps what the docs show true.
describe("runnable examples", () => {
  it("examples/emulator-from-code.ts prints what docs/local-development.md says it prints", async () => {
    // Act
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/emulator-from-code.ts"]);

    // Assess
    expect(stdout.trimEnd().split("\n")).toEqual([
      "503 1",
      "200 Tier 1 (renamed)",
      "[ '503 status:503', '200 -' ]",
    ]);
  });

  it("examples/send-event.mjs signs an event that the webhook accepts and queues", async () => {
    // Prepare
    harness = await startSyncHarness({ groups: [] });
    webhook = await startLocalWebhook({
      handlerDeps: {
        sqs: harness.sqs.client,
        queueUrl: harness.queues.queueUrl,
        secrets: staticWebhookSecrets(SECRET),
      },
    });

    // Act
    const { stdout } = await run(process.execPath, ["examples/send-event.mjs"], {
      env: { ...process.env, SECRET, WEBHOOK_URL: webhook.url },
    });

    // Assess
    expect(stdout).toMatch(/^20\d /);
    const queued = await harness.sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: harness.queues.queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(queued.Messages?.map((message) => JSON.parse(message.Body ?? "{}").event_id)).toEqual([
      "hr-evt-000201",
    ]);
  });

  it("examples/send-standard.mjs signs with the standardwebhooks package, and the webhook accepts and queues it", async () => {
    // Prepare
    harness = await startSyncHarness({ groups: [] });
    webhook = await startLocalWebhook({
      handlerDeps: {
        sqs: harness.sqs.client,
        queueUrl: harness.queues.queueUrl,
        secrets: staticWebhookSecrets(STANDARD_SECRET),
      },
    });

    // Act
    const { stdout } = await run(process.execPath, ["examples/send-standard.mjs"], {
      env: { ...process.env, WEBHOOK_SECRET: STANDARD_SECRET, WEBHOOK_URL: webhook.url },
    });

    // Assess
    expect(stdout).toMatch(/^202 /);
    const queued = await harness.sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: harness.queues.queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(queued.Messages?.map((message) => JSON.parse(message.Body ?? "{}").event_id)).toEqual([
      "hr-evt-000301",
    ]);
  });
});
