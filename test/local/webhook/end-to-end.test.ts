import { afterEach, describe, expect, it } from "vitest";
import { signatureHeaders } from "../../../functions/webhook-ingest/signature.ts";
import { staticWebhookSecrets } from "../../../functions/webhook-ingest/webhook-secrets.ts";
import { type EventSourceRunner, startEventSourceRunner } from "../../../local/runner/event-source-runner.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "../../../local/webhook/index.ts";
import { aRawEvent } from "../../fixtures/events/factories.ts";
import { type SyncHarness, startSyncHarness } from "../../support/sync-harness.ts";

const SECRET = "whsec_end_to_end_0123456789abcdef0123456789ab";
const GROUP_ID = "grp_zYxWvUtSrQpOnMlKjIhGfE";

let harness: SyncHarness | undefined;
let webhook: RunningLocalWebhook | undefined;
let runner: EventSourceRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  await webhook?.stop();
  await harness?.stop();
  runner = undefined;
  webhook = undefined;
  harness = undefined;
});

/** Webhook -> fauxqs -> event source runner -> the real sync handler -> the Vitable emulator over HTTP. */
async function startStack() {
  harness = await startSyncHarness({
    groups: [{ id: GROUP_ID, name: "Tier 1", external_reference_id: "mol_seg_001" }],
  });
  webhook = await startLocalWebhook({
    handlerDeps: {
      sqs: harness.sqs.client,
      queueUrl: harness.queues.queueUrl,
      secrets: staticWebhookSecrets(SECRET),
    },
  });
  runner = startEventSourceRunner({
    sqs: harness.sqs.client,
    queueUrl: harness.queues.queueUrl,
    queueArn: harness.queues.queueArn,
    handler: harness.handler,
  });
  return { harness, webhook, runner };
}

async function post(url: string, body: string, secret = SECRET) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signatureHeaders(secret, body, Date.now() / 1000) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("webhook end to end through the local stack", () => {
  it.each([
    {
      title: "a rename by group id",
      events: [
        aRawEvent({
          event_id: "e2e-1",
          group: { id: GROUP_ID },
          changes: { name: "Tier 1 (renamed)" },
          occurred_at: "2026-01-16T09:12:00Z",
        }),
      ],
      expected: { name: "Tier 1 (renamed)", external_reference_id: "mol_seg_001" },
    },
    {
      title: "two events for one group, by external reference, in one request",
      events: [
        aRawEvent({
          event_id: "e2e-2",
          group: { external_reference_id: "mol_seg_001" },
          changes: { name: "Tier 1 v2" },
          occurred_at: "2026-01-16T09:12:00Z",
        }),
        aRawEvent({
          event_id: "e2e-3",
          group: { id: GROUP_ID },
          changes: { external_reference_id: "mol_seg_001_v2" },
          occurred_at: "2026-01-16T09:13:00Z",
        }),
      ],
      expected: { name: "Tier 1 v2", external_reference_id: "mol_seg_001_v2" },
    },
  ])("turns a signed POST of $title into the change in Vitable", async ({ events, expected }) => {
    // Prepare
    const { harness, webhook, runner } = await startStack();

    // Act
    const response = await post(webhook.url, JSON.stringify(events));
    await runner.whenIdle();

    // Assess
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ accepted: events.length, failed: 0 });
    expect(harness.emulator.group(GROUP_ID)).toMatchObject(expected);
    expect(harness.reports.map((report) => report.result.outcome)).toEqual(events.map(() => "applied"));
    expect(await harness.drainDlq()).toEqual([]);
  });

  it("changes nothing in Vitable for a request with a bad signature", async () => {
    // Prepare
    const { harness, webhook, runner } = await startStack();
    const event = aRawEvent({ event_id: "e2e-bad", group: { id: GROUP_ID }, changes: { name: "Hijacked" } });

    // Act
    const response = await post(
      webhook.url,
      JSON.stringify(event),
      "whsec_wrong_000000000000000000000000000000",
    );
    await runner.whenIdle();

    // Assess
    expect(response.status).toBe(401);
    expect(harness.emulator.group(GROUP_ID)?.name).toBe("Tier 1");
    expect(harness.reports).toEqual([]);
  });
});
