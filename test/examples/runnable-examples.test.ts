import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { staticWebhookSecrets } from "../../functions/webhook-ingest/webhook-secrets.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "../../local/webhook/index.ts";
import { type SyncHarness, startSyncHarness } from "../support/sync-harness.ts";

const run = promisify(execFile);
const SECRET = "whsec_examples_0123456789abcdef0123456789abcdef";

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
});
