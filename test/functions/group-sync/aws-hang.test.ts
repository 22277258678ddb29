import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadSyncConfig } from "../../../functions/group-sync/config.ts";
import { createSyncRuntime } from "../../../functions/group-sync/create-runtime.ts";
import type { RecordReport } from "../../../functions/group-sync/outcome.ts";
import { MemoryLedgerStore } from "../../../functions/shared/ledger/memory-ledger-store.ts";
import {
  createFifoQueueWithDlq,
  type EmbeddedSqs,
  type QueuePair,
  startEmbeddedSqs,
} from "../../../local/sqs/embedded-sqs.ts";
import {
  DEFAULT_API_KEY,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../../local/vitable-emulator/index.ts";
import type { FaultConfig } from "../../../local/vitable-emulator/types.ts";
import { drainQueue } from "../../support/drain-queue.ts";
import { makeContext, makeEvent, makeRecord } from "../../support/events.ts";
import { type SilentEndpoint, startSilentEndpoint } from "../../support/silent-endpoint.ts";

const GROUP_A = "grp_hangTestGroupAaaaaaaa";
const GROUP_B = "grp_hangTestGroupBbbbbbbb";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable-api-key-AbCdEf";
const ROTATED_OUT_KEY = "vit_apk_rotated_out_key_0001";
// The lanes stop 1600 ms before the end; DLQ sends and visibility changes may use all but 400 ms of that.
const REMAINING_MS = 4_000;
const SAFETY_MARGIN_MS = "1600";

let emulator: RunningVitableEmulator;
let sqs: EmbeddedSqs;
let queues: QueuePair;
let silent: SilentEndpoint;
let queueCounter = 0;

beforeEach(async () => {
  emulator = await startVitableEmulator({
    groups: [
      { id: GROUP_A, name: "Tier A", external_reference_id: "seg_hang_a" },
      { id: GROUP_B, name: "Tier B", external_reference_id: "seg_hang_b" },
    ],
  });
  sqs = await startEmbeddedSqs();
  queueCounter += 1;
  queues = await createFifoQueueWithDlq(sqs.client, `hang-${process.pid}-${queueCounter}`);
  silent = await startSilentEndpoint();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([emulator?.stop(), sqs?.stop(), silent?.stop()]);
});

/** The real runtime factory, with its own AWS clients built from config; only the ledger is in memory. */
function runtimeWith(env: Record<string, string>, faults?: FaultConfig) {
  const ledgerFromConfig = env.LEDGER_TABLE_NAME !== undefined;
  if (faults) emulator.setFaults(faults);
  const reports: RecordReport[] = [];
  const warnings: string[] = [];
  const config = loadSyncConfig({
    VITABLE_CONNECT_BASE_URL: emulator.url,
    DLQ_URL: queues.dlqUrl,
    SOURCE_QUEUE_URL: queues.queueUrl,
    DEADLINE_SAFETY_MARGIN_MS: SAFETY_MARGIN_MS,
    // Longer than the invocation: only the deadline's abort signal can end a hung call in time.
    SDK_REQUEST_TIMEOUT_MS: "60000",
    API_RETRY_BASE_DELAY_MS: "1",
    API_RETRY_MAX_DELAY_MS: "5",
    LOG_LEVEL: "SILENT",
    ...(env.VITABLE_CONNECT_API_KEY_SECRET_ARN ? {} : { VITABLE_CONNECT_API_KEY: DEFAULT_API_KEY }),
    ...env,
  });
  const runtime = createSyncRuntime(config, {
    ...(ledgerFromConfig ? {} : { ledger: new MemoryLedgerStore() }),
    telemetry: {
      recordProcessed: (report) => reports.push(report),
      warn: (message) => warnings.push(message),
      flush: () => {},
      apiAttempt: () => {},
    },
  });
  return { runtime, reports, warnings };
}

/** Runs one batch; returns the response and the time the context had left when the handler returned. */
async function invoke(
  handler: ReturnType<typeof runtimeWith>["runtime"]["handler"],
  records: SQSRecord[],
): Promise<{ response: SQSBatchResponse; leftAtReturnMs: number }> {
  const context = makeContext(REMAINING_MS);
  const response = await handler({ Records: records }, context);
  return { response, leftAtReturnMs: context.getRemainingTimeInMillis() };
}

function renameOf(groupId: string, name: string): SQSRecord {
  return makeRecord(
    makeEvent({ occurred_at: new Date().toISOString(), group: { id: groupId }, changes: { name } }),
  );
}

function handedBack(response: SQSBatchResponse): string[] {
  return response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();
}

describe("sync handler with an AWS endpoint that accepts connections and never answers", () => {
  it("returns before the deadline when DynamoDB hangs, handing every record back as ledger_unavailable with no PATCH", async () => {
    // Prepare: the ledger table's endpoint accepts connections and never answers
    vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", silent.url);
    const { runtime, reports } = runtimeWith({ LEDGER_TABLE_NAME: "hung-ledger" });
    const records = [renameOf(GROUP_A, "Tier A new"), renameOf(GROUP_B, "Tier B new")];

    // Act
    const { response, leftAtReturnMs } = await invoke(runtime.handler, records);

    // Assess
    expect(leftAtReturnMs).toBeGreaterThan(0);
    expect(silent.connections()).toBeGreaterThan(0);
    expect(handedBack(response)).toEqual(records.map((record) => record.messageId).sort());
    for (const record of records) {
      expect(reports.find((r) => r.messageId === record.messageId)?.result).toMatchObject({
        outcome: "retry_later",
        reason: "ledger_unavailable",
      });
    }
    expect(emulator.journal.filter((entry) => entry.method === "PATCH")).toEqual([]);
  });

  it("returns before the deadline when the DLQ hangs, handing the dead letters back as dlq_send_failed", async () => {
    // Prepare
    const { runtime, reports } = runtimeWith({ DLQ_URL: `${silent.url}/123456789012/hung-dlq.fifo` });
    const invalid = [
      makeRecord("not json", { messageGroupId: "a" }),
      makeRecord("{}", { messageGroupId: "b" }),
    ];
    const valid = renameOf(GROUP_A, "Tier A renamed");

    // Act
    const { response, leftAtReturnMs } = await invoke(runtime.handler, [...invalid, valid]);

    // Assess
    expect(leftAtReturnMs).toBeGreaterThan(0);
    expect(silent.connections()).toBeGreaterThan(0);
    expect(handedBack(response)).toEqual(invalid.map((record) => record.messageId).sort());
    for (const record of invalid) {
      const report = reports.find((r) => r.messageId === record.messageId);
      expect(report?.result).toMatchObject({ outcome: "retry_later", reason: "dlq_send_failed" });
      expect(report?.result.outcome === "retry_later" && report.result.detail).toMatch(
        /^could not dead-letter \(invalid_.*\): AbortError: /,
      );
    }
    expect(reports.find((r) => r.messageId === valid.messageId)?.result.outcome).toBe("applied");
    expect(emulator.group(GROUP_A)?.name).toBe("Tier A renamed");
  });

  it("returns before the deadline when the source queue hangs on ChangeMessageVisibility, warning and handing the record back", async () => {
    // Prepare: the API asks for a minute, longer than the invocation, so the handler hides the message for it.
    const { runtime, reports, warnings } = runtimeWith(
      { SOURCE_QUEUE_URL: `${silent.url}/123456789012/hung-source.fifo` },
      { script: [{ method: "PATCH", action: { type: "status", status: 429, retryAfterSeconds: 60 } }] },
    );
    const throttled = renameOf(GROUP_A, "Tier A throttled");
    const other = renameOf(GROUP_B, "Tier B renamed");

    // Act
    const { response, leftAtReturnMs } = await invoke(runtime.handler, [throttled, other]);

    // Assess
    expect(leftAtReturnMs).toBeGreaterThan(0);
    expect(silent.connections()).toBeGreaterThan(0);
    expect(handedBack(response)).toEqual([throttled.messageId]);
    expect(reports.find((r) => r.messageId === throttled.messageId)?.result).toMatchObject({
      outcome: "retry_later",
      retryAfterMs: 60_000,
    });
    expect(warnings).toContain("could not delay redelivery as planned");
    expect(emulator.group(GROUP_B)?.name).toBe("Tier B renamed");
    expect(emulator.group(GROUP_A)?.name).toBe("Tier A");
  });

  it("returns before the deadline when Secrets Manager hangs on the first key read, handing every record back", async () => {
    // Prepare
    vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", silent.url);
    const { runtime, reports } = runtimeWith({ VITABLE_CONNECT_API_KEY_SECRET_ARN: SECRET_ARN });
    const records = [renameOf(GROUP_A, "Tier A new"), renameOf(GROUP_B, "Tier B new")];

    // Act
    const { response, leftAtReturnMs } = await invoke(runtime.handler, records);

    // Assess
    expect(leftAtReturnMs).toBeGreaterThan(0);
    expect(silent.connections()).toBeGreaterThan(0);
    expect(handedBack(response)).toEqual(records.map((record) => record.messageId).sort());
    for (const record of records) {
      const result = reports.find((r) => r.messageId === record.messageId)?.result;
      expect(result).toMatchObject({ outcome: "retry_later", reason: "unauthorized" });
      expect(result?.outcome === "retry_later" && result.detail).toBe(
        `could not read Vitable API key secret ${SECRET_ARN} (AbortError)`,
      );
    }
    expect(emulator.journal).toHaveLength(0);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(0);
  });

  it("returns before the deadline when Secrets Manager hangs on the re-read after a 401", async () => {
    // Prepare: the secret first yields a key the API no longer takes, then the re-read never gets an answer.
    const secrets = await startSecretThenSilence(ROTATED_OUT_KEY);
    vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.url);
    const { runtime, reports } = runtimeWith({ VITABLE_CONNECT_API_KEY_SECRET_ARN: SECRET_ARN });
    const record = renameOf(GROUP_A, "Tier A new");

    try {
      // Act
      const { response, leftAtReturnMs } = await invoke(runtime.handler, [record]);

      // Assess
      expect(leftAtReturnMs).toBeGreaterThan(0);
      expect(secrets.requests()).toBe(2);
      expect(emulator.journal.map((entry) => entry.status)).toEqual([401]);
      expect(handedBack(response)).toEqual([record.messageId]);
      expect(reports.find((r) => r.messageId === record.messageId)?.result).toMatchObject({
        outcome: "retry_later",
        reason: "unauthorized",
      });
    } finally {
      await secrets.stop();
    }
  });
});

/** Secrets Manager's JSON protocol, answered once with `key`; every later request is held without an answer. */
async function startSecretThenSilence(key: string) {
  let requests = 0;
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests += 1;
      if (requests > 1) {
        held.push(response);
        return;
      }
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify({ ARN: SECRET_ARN, Name: "vitable-api-key", SecretString: key }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
