import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { signatureHeaders } from "../../functions/webhook-ingest/signature.ts";
import { sendMessages } from "../../local/send-messages.ts";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../local/stack.ts";
import { LOCAL_WEBHOOK_SECRET } from "../../local/stack-webhook.ts";
import {
  type RunningVitableEmulator,
  sampleGroups,
  startVitableEmulator,
} from "../../local/vitable-emulator/index.ts";

const GROUP = sampleGroups()[0] as { id: string; name: string; external_reference_id: string };
const REAL_KEY = "vit_apk_pretend_real_key";

let stack: LocalStack | undefined;
let other: RunningVitableEmulator | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await stack?.stop();
  await other?.stop();
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  stack = undefined;
  other = undefined;
  blocker = undefined;
});

function renameBody(name: string, eventId = `evt-${Math.random().toString(36).slice(2)}`): string {
  return JSON.stringify({
    type: "group.renamed",
    event_id: eventId,
    occurred_at: new Date().toISOString(),
    group: { id: GROUP.id },
    changes: { name },
  });
}

async function sendOne(target: LocalStack, body: string): Promise<string> {
  const [id] = await sendMessages(target.sqs, target.queueUrl, [
    { body, messageGroupId: `id:${GROUP.id}`, deduplicationId: `dedup-${Math.random()}` },
  ]);
  return id as string;
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

describe("startLocalStack", () => {
  it("runs the pipeline on loopback ports picked by the OS, and stop() releases every one of them", async () => {
    // Prepare
    stack = await startLocalStack({ webhook: true });
    const urls = [stack.sqsEndpoint, stack.vitableUrl, stack.webhook?.url as string];

    // Act
    const messageId = await sendOne(stack, renameBody("Tier 1 (renamed locally)"));
    await stack.whenIdle();
    const applied = stack.emulator?.group(GROUP.id)?.name;
    await stack.stop();
    await stack.stop();

    // Assess
    for (const url of urls) expect(new URL(url).hostname).toBe("127.0.0.1");
    expect(urls.every((url) => Number(new URL(url).port) > 0)).toBe(true);
    expect(stack.outcomes.lastOf(messageId)?.result.outcome).toBe("applied");
    expect(applied).toBe("Tier 1 (renamed locally)");
    for (const url of urls) expect(await refusesConnections(url)).toBe(true);
  });

  it.each([
    { title: "both variables set", real: true, key: true, warns: false },
    { title: "only the base URL set", real: false, key: false, warns: true },
  ])("uses the real API only with $title", async ({ real, key, warns }) => {
    // Prepare
    other = await startVitableEmulator({ apiKeys: [REAL_KEY], groups: [GROUP] });
    const env = {
      VITABLE_CONNECT_BASE_URL: other.url,
      ...(key ? { VITABLE_CONNECT_API_KEY: REAL_KEY } : {}),
    };

    // Act
    stack = await startLocalStack({ env });
    await sendOne(stack, renameBody("Renamed where?"));
    await stack.whenIdle();

    // Assess
    expect(stack.usingRealVitable).toBe(real);
    expect(stack.emulator === undefined).toBe(real);
    expect(stack.vitableWarning !== undefined).toBe(warns);
    expect(other.group(GROUP.id)?.name === "Renamed where?").toBe(real);
    expect(stack.emulator?.group(GROUP.id)?.name === "Renamed where?").toBe(!real);
  });

  it.each([
    {
      title: "WEBHOOK_SECRET",
      env: { WEBHOOK_SECRET: "a-test-webhook-secret-of-enough-length-42" },
      source: "WEBHOOK_SECRET",
    },
    { title: "the local dummy secret", env: {}, source: "LOCAL_WEBHOOK_SECRET" },
  ])(
    "queues events POSTed to the webhook, signed with $title, for the sync function",
    async ({ env, source }) => {
      // Prepare
      stack = await startLocalStack({ webhook: true, env });
      const secret = env.WEBHOOK_SECRET ?? LOCAL_WEBHOOK_SECRET;
      const body = renameBody("Renamed by webhook", "webhook-evt-1");

      // Act
      const response = await fetch(stack.webhook?.url as string, {
        method: "POST",
        headers: { "content-type": "application/json", ...signatureHeaders(secret, body, Date.now() / 1000) },
        body,
      });
      await stack.whenIdle();

      // Assess
      expect(response.status).toBe(202);
      expect(stack.webhook?.secretSource).toBe(source);
      expect(stack.outcomes.entries.map((entry) => [entry.report.eventId, entry.label])).toEqual([
        ["webhook-evt-1", "applied"],
      ]);
      expect(stack.emulator?.group(GROUP.id)?.name).toBe("Renamed by webhook");
    },
  );

  it("stops what it had started when a later part cannot start", async () => {
    // Prepare
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    const sqsPort = await freePort();
    const options: LocalStackOptions = { ports: { sqs: sqsPort, vitable: taken } };

    // Act
    const starting = startLocalStack(options);

    // Assess
    await expect(starting).rejects.toThrow(/EADDRINUSE/);
    expect(await refusesConnections(`http://127.0.0.1:${sqsPort}/health`)).toBe(true);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
