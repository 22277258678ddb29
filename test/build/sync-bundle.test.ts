import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  type QueuePair,
  startEmbeddedSqs,
} from "../../local/sqs/embedded-sqs.ts";
import {
  DEFAULT_API_KEY,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../local/vitable-emulator/index.ts";
import { buildAll } from "../../scripts/build.ts";
import { makeEvent, makeRecord } from "../support/events.ts";

const run = promisify(execFile);
const GROUP = "grp_BUNDLEBUNDLEBUNDLEBUND";

let outRoot: string;
let emulator: RunningVitableEmulator;
let sqs: EmbeddedSqs;
let queues: QueuePair;

beforeAll(async () => {
  outRoot = await mkdtemp(path.join(tmpdir(), "group-sync-build-"));
  [emulator, sqs] = await Promise.all([
    startVitableEmulator({ groups: [{ id: GROUP, name: "Before", external_reference_id: "bundle-ref" }] }),
    startEmbeddedSqs(),
    buildAll(outRoot),
  ]).then(([e, s]) => [e, s] as const);
  queues = await createFifoQueueWithDlq(sqs.client, "bundle");
}, 60_000);

afterAll(async () => {
  await Promise.all([emulator?.stop(), sqs?.stop(), rm(outRoot, { recursive: true, force: true })]);
});

/**
 * Runs the built bundle in a fresh Node process configured by environment variables only, as Lambda would.
 * fauxqs hands out queue URLs on `sqs.<region>.localhost`, so the child resolves that name to loopback.
 */
async function invokeBundle(
  records: unknown[],
): Promise<{ stdout: string; result: { batchItemFailures: unknown[] } }> {
  const bundle = path.join(outRoot, "group-sync", "index.mjs");
  const script = `
    import { interceptLocalhostDns } from "fauxqs";
    interceptLocalhostDns();
    const { handler } = await import(${JSON.stringify(bundle)});
    const result = await handler({ Records: ${JSON.stringify(records)} }, { getRemainingTimeInMillis: () => 30000 });
    console.log("RESULT " + JSON.stringify(result));
  `;
  const { stdout, stderr } = await run(process.execPath, ["--input-type=module", "-e", script], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      VITABLE_CONNECT_BASE_URL: emulator.url,
      VITABLE_CONNECT_API_KEY: DEFAULT_API_KEY,
      DLQ_URL: queues.dlqUrl,
      LOG_LEVEL: "INFO",
      POWERTOOLS_METRICS_NAMESPACE: "BundleTest",
    },
  });
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT ")) ?? "RESULT null";
  return { stdout: `${stdout}\n${stderr}`, result: JSON.parse(line.slice("RESULT ".length)) };
}

describe("the built sync bundle (dist/group-sync/index.mjs)", () => {
  it("works with environment configuration only: applies a rename and dead-letters a bad message", async () => {
    // Prepare
    const good = makeRecord(
      makeEvent({ occurred_at: new Date().toISOString(), group: { id: GROUP }, changes: { name: "After" } }),
    );
    const bad = makeRecord("{not json", { messageGroupId: "bad" });

    // Act
    const { stdout, result } = await invokeBundle([good, bad]);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(emulator.group(GROUP)?.name).toBe("After");
    const lines = stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    expect(lines).toContainEqual(
      expect.objectContaining({ message: "record", event_id: expect.any(String), outcome: "applied" }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ message: "record", outcome: "dead_lettered", reason: "invalid_json" }),
    );
    expect(stdout).not.toContain(DEFAULT_API_KEY);
  }, 30_000);
});
